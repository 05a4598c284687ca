// Forms the replica set and makes each service's database user. Safe to run again and again: every
// deploy does, and a run that finds everything in place changes nothing (or sets a rotated password).
// Runs as `mongosh --nodb --file replica-set.js` in the mongodb-replica-set Job. In mongosh a command
// that answers ok: 0 throws, so "not yet" is an exception, caught and retried by waitFor.
const members = ["mongodb-0.mongodb:27017", "mongodb-1.mongodb:27017", "mongodb-2.mongodb:27017"];
const env = process.env;

function waitFor(what, check) {
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      if (check()) return;
    } catch (error) {
      print("waiting for " + what + ": " + error.message);
    }
    sleep(5000);
  }
  throw new Error("gave up waiting for " + what);
}

function connect(host) {
  return new Mongo("mongodb://" + host + "/?directConnection=true");
}

function adminOn(host) {
  const admin = connect(host).getDB("admin");
  admin.auth(env.MONGO_ROOT_USERNAME, env.MONGO_ROOT_PASSWORD);
  return admin;
}

// The image's entrypoint made the root user on each member from the mongodb-root Secret.
waitFor(members[0], () => adminOn(members[0]).runCommand({ping: 1}).ok === 1);
const first = adminOn(members[0]);
let initiated = true;
try {
  first.runCommand({replSetGetStatus: 1});
} catch (error) {
  if (error.codeName !== "NotYetInitialized") throw error;
  initiated = false;
}
if (!initiated) {
  // Member 0 alone first: members that already hold data (their own root user) cannot be initiated
  // together, but they can be added; they then copy everything from the primary.
  first.runCommand({replSetInitiate: {_id: "rs0", members: [{_id: 0, host: members[0]}]}});
  print("initiated rs0 on " + members[0]);
}

function primary() {
  let found = null;
  waitFor("a primary", () => {
    found = adminOn(members[0]).runCommand({hello: 1}).primary;
    return Boolean(found);
  });
  return adminOn(found);
}

// Then the others, one at a time: a reconfiguration is refused until the previous one has
// committed, so each attempt reads the configuration afresh and is retried until it takes.
for (const host of members.slice(1)) {
  waitFor(host + " to answer", () => connect(host).getDB("admin").runCommand({ping: 1}).ok === 1);
  waitFor(host + " to join", () => {
    const admin = primary();
    const config = admin.runCommand({replSetGetConfig: 1}).config;
    if (config.members.some((member) => member.host === host)) return true;
    config.version += 1;
    config.members.push({_id: Math.max(...config.members.map((member) => member._id)) + 1, host: host});
    admin.runCommand({replSetReconfig: config});
    print("added " + host);
    return true;
  });
}

// Each service reads and writes its own database and nothing else. It may also run collMod there, which
// readWrite lacks: a changed TTL (LINLI_APPLIED_EVENTS_RETENTION_DAYS) alters the index in place.
const admin = primary();
for (const service of (env.LINLI_SERVICES || "").split(/\s+/).filter(Boolean)) {
  const password = env[service.toUpperCase() + "_MONGO_PASSWORD"];
  if (!password) throw new Error("no password for " + service);
  const database = admin.getSiblingDB(env.MONGO_DB_PREFIX + service);
  const alterIndexes = {privileges: [{resource: {db: database.getName(), collection: ""}, actions: ["collMod"]}],
                        roles: []};
  if (database.getRole("linliCollMod")) {
    database.updateRole("linliCollMod", alterIndexes);
  } else {
    database.createRole({role: "linliCollMod", ...alterIndexes});
  }
  const roles = [{role: "readWrite", db: database.getName()}, {role: "linliCollMod", db: database.getName()}];
  if (database.getUser(service)) {
    database.updateUser(service, {pwd: password, roles: roles});
  } else {
    database.createUser({user: service, pwd: password, roles: roles});
  }
  print("user " + service + " on " + database.getName());
}
const states = admin.runCommand({replSetGetStatus: 1}).members.map((member) => member.name + " " + member.stateStr);
print("replica set rs0: " + states.join(", "));
