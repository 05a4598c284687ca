"""Regenerate the Python code for proto/ (run: make proto).

Generated modules land in linli/<package path>/ (e.g. linli/eldercare/v1/eldercare_pb2.py) so that
they import as the proto packages are named: ``from linli.eldercare.v1 import eldercare_pb2``.
"""
import pathlib
import sys

from grpc_tools import protoc

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROTO_ROOT = ROOT / "proto"


def proto_files():
    return sorted(p.relative_to(PROTO_ROOT).as_posix() for p in PROTO_ROOT.rglob("*.proto"))


def generate(out_dir: pathlib.Path) -> list[pathlib.Path]:
    """Generate code for every proto file into out_dir; return the files written."""
    well_known = pathlib.Path(protoc.__file__).parent / "_proto"
    args = [
        "protoc",
        f"-I{PROTO_ROOT}",
        f"-I{well_known}",
        f"--python_out={out_dir}",
        f"--pyi_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        *proto_files(),
    ]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    written = sorted((out_dir / "linli").rglob("*_pb2*.py*"))
    # Every generated folder becomes a regular package, so imports never depend on namespace packages.
    for folder in {p.parent for p in written}:
        while folder != out_dir and folder != out_dir / "linli":
            init = folder / "__init__.py"
            if not init.exists():
                init.write_text("")
            folder = folder.parent
    return written


if __name__ == "__main__":
    files = generate(ROOT)
    print(f"generated {len(files)} files from {len(proto_files())} protos", file=sys.stderr)
