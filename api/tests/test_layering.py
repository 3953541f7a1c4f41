"""api/ parses and answers: every change goes through a service (STYLE.md, "The JSON API")."""

import ast
from pathlib import Path

import api

API_DIR = Path(api.__file__).parent


def write_calls(source: str) -> list[str]:
    """Calls of model write methods (`x.save()`, `X.objects.create()`, `bulk_*`) in a module's source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if isinstance(node.func.value, ast.Name) and node.func.value.id == "router":
                continue  # @router.delete(...) declares a route
            name = node.func.attr
            if name in {"save", "create", "update", "delete", "get_or_create", "update_or_create"} or name.startswith(
                "bulk_"
            ):
                found.append(f"{name} (line {node.lineno})")
    return found


def test_the_check_finds_a_write():
    assert write_calls("Order.objects.filter(pk=1).update(status='paid')") == ["update (line 1)"]
    assert write_calls("@router.delete('/x')\ndef f(): pass") == []
    assert write_calls("animal.save()\nAnimal.objects.bulk_update([], [])") == ["save (line 1)", "bulk_update (line 2)"]


def test_api_calls_no_model_write_method():
    modules = [path for path in API_DIR.rglob("*.py") if "tests" not in path.parts]
    assert len(modules) >= 8
    offenders = {str(path.relative_to(API_DIR)): write_calls(path.read_text()) for path in modules}
    assert {path: calls for path, calls in offenders.items() if calls} == {}
