"""The generated Python code matches proto/, and proto/ passes buf lint."""
import filecmp
import shutil
import subprocess
from pathlib import Path

from linli import protogen

ROOT = Path(__file__).resolve().parents[2]


def test_generated_code_is_current_with_the_proto_sources(tmp_path):
    fresh = protogen.generate(tmp_path)
    assert fresh, "no proto files generated anything"
    stale = [
        str(path.relative_to(tmp_path))
        for path in fresh
        if not (ROOT / path.relative_to(tmp_path)).exists()
        or not filecmp.cmp(path, ROOT / path.relative_to(tmp_path), shallow=False)
    ]
    committed = {p.relative_to(ROOT) for p in (ROOT / "linli").rglob("*_pb2*.py*")}
    orphans = sorted(str(p) for p in committed - {p.relative_to(tmp_path) for p in fresh})
    assert not stale and not orphans, f"run `make proto`: stale {stale}, without a proto {orphans}"


def test_proto_sources_pass_buf_lint():
    buf = ROOT / "node_modules" / ".bin" / "buf"
    assert buf.exists() or shutil.which("buf"), "buf is missing: `npm ci` installs it (make test does)"
    result = subprocess.run([str(buf) if buf.exists() else "buf", "lint"], cwd=ROOT / "proto",
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
