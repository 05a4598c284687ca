// Server-Sent Events read from a fetch() body. The pages use fetch(), not EventSource, because EventSource
// cannot send an Authorization header: the token would have to travel in the URL, where logs keep it.
//
// onFrame({id, event, data}) is awaited for each event, in order (data: the data lines joined); onOpen() at
// the gateway's opening comment (": stream open": the subscription exists from then on); onAlive() at every
// chunk, heartbeats included. Resolves when the stream ends.
export async function readFrames(body, onFrame, { onOpen = () => {}, onAlive = () => {} } = {}) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "", frame = { data: [] };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    onAlive();
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, end).replace(/\r$/, "");
      buffer = buffer.slice(end + 1);
      if (line === "") {
        if (frame.data.length) await onFrame({ id: frame.id, event: frame.event ?? "message", data: frame.data.join("\n") });
        frame = { data: [] };
      } else if (line.startsWith(":")) {
        if (line.startsWith(": stream open")) await onOpen();
      } else {
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "data") frame.data.push(text);
        else if (field === "id" || field === "event") frame[field] = text;
      }
    }
  }
}
