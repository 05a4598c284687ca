"""Every setting a process reads is documented in the README with its default."""
from pathlib import Path

from linli.kit.config import SETTINGS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_every_setting_is_in_the_readme_table_with_its_default():
    missing = [name for name, (default, _) in SETTINGS.items()
               if f"| `{name}` | `{default}` |" not in README and f"| `{name}` | (empty) |" not in README]
    assert not missing, f"document these in README.md's configuration table: {missing}"
