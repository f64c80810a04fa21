"""The Python example against the real library and the real `som` command.

Run from the repository root after `cargo build`:

    python3 -m unittest discover -s python -v

SOM_LIB and SOM_BIN override where the shared library and the `som` binary
are found (`cargo test` sets both).
"""

import decimal
import json
import os
import subprocess
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import som  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "housing-first.json"


def som_binary():
    explicit = os.environ.get("SOM_BIN")
    if explicit:
        return explicit
    name = "som.exe" if sys.platform == "win32" else "som"
    lib_dir = som.library_path().parent  # target/<profile> or its deps/
    for folder in (lib_dir, lib_dir.parent):
        if (folder / name).is_file():
            return str(folder / name)
    raise FileNotFoundError(f"no `som` binary beside {lib_dir}; run `cargo build` or set SOM_BIN")


def run_som(*args):
    return subprocess.run(
        [som_binary(), *args], check=True, capture_output=True, text=True
    ).stdout


class EvaluateTest(unittest.TestCase):
    def assert_same(self, python, cli, path="$"):
        """Compares two parsed JSON values field by field, naming the path of a difference."""
        self.assertIs(type(python), type(cli), path)
        if isinstance(cli, dict):
            self.assertEqual(list(python), list(cli), f"{path}: keys")
            for key in cli:
                self.assert_same(python[key], cli[key], f"{path}.{key}")
        elif isinstance(cli, list):
            self.assertEqual(len(python), len(cli), f"{path}: length")
            for i, (p, c) in enumerate(zip(python, cli)):
                self.assert_same(p, c, f"{path}[{i}]")
        else:
            self.assertEqual(python, cli, path)

    def test_evaluate_matches_som_run_format_json_field_by_field(self):
        cli = json.loads(run_som("run", str(EXAMPLE), "--format", "json"), parse_float=decimal.Decimal)
        python = som.evaluate(json.loads(EXAMPLE.read_text(encoding="utf-8")))
        self.assert_same(python, cli)
        self.assertGreater(decimal.Decimal(python["summary"]["npv"]["total"]), 0)

    def test_sensitivity_matches_som_sensitivity_format_json(self):
        cli = json.loads(
            run_som("sensitivity", str(EXAMPLE), "--format", "json"), parse_float=decimal.Decimal
        )
        python = som.sensitivity(EXAMPLE.read_text(encoding="utf-8"))
        self.assert_same(python, cli)
        self.assertGreater(len(python["bars"]), 3)

    def test_evaluate_json_text_is_the_commands_output(self):
        text = som.evaluate_json(EXAMPLE.read_text(encoding="utf-8"))
        self.assertEqual(text.strip(), run_som("run", str(EXAMPLE), "--format", "json").strip())

    def test_decimals_in_a_dict_are_passed_exactly(self):
        scenario = json.loads(EXAMPLE.read_text(encoding="utf-8"), parse_float=decimal.Decimal)
        self.assertEqual(som.evaluate(scenario), som.evaluate(EXAMPLE.read_text(encoding="utf-8")))

    def test_a_knowledge_base_directory_gives_the_same_business_case(self):
        from_dir = som.evaluate(EXAMPLE.read_text(encoding="utf-8"), kb_dir=str(REPO / "knowledge-base"))
        embedded = som.evaluate(EXAMPLE.read_text(encoding="utf-8"))
        self.assertEqual(from_dir["summary"], embedded["summary"])

    def test_an_invalid_scenario_raises_with_code_and_json_path(self):
        scenario = json.loads(EXAMPLE.read_text(encoding="utf-8"))
        scenario["completion_rate"] = 1.7
        with self.assertRaises(som.SomError) as caught:
            som.evaluate(scenario)
        self.assertEqual(caught.exception.code, "invalid_scenario")
        self.assertEqual(caught.exception.problems[0]["path"], "$.completion_rate")


class KnowledgeBaseTest(unittest.TestCase):
    def test_kb_list_has_the_target_groups(self):
        ids = som.kb_list()["ids"]
        self.assertIn(
            {
                "kind": "target-group",
                "id": "homeless-adults",
                "name": {"en": "Homeless adults", "da": "Voksne i hjemløshed"},
            },
            ids,
        )

    def test_kb_show_and_a_misspelt_id(self):
        self.assertEqual(som.kb_show("homeless-adults")["target_group"]["id"], "homeless-adults")
        with self.assertRaises(som.SomError) as caught:
            som.kb_show("homeles-adults")
        self.assertEqual(caught.exception.problems[0]["did_you_mean"], "homeless-adults")

    def test_kb_validate_the_shipped_directory(self):
        self.assertTrue(som.kb_validate(str(REPO / "knowledge-base"))["valid"])

    def test_version_is_the_commands_version(self):
        self.assertEqual(run_som("--version").split(), ["som", som.version()])
        self.assertEqual(som.abi_version(), som.ABI_VERSION)


if __name__ == "__main__":
    unittest.main()
