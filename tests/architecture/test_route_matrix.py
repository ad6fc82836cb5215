"""Every route is in the access matrix: a new page or API operation without an entry fails the build."""

from tests.architecture import matrix


def test_every_route_that_exists_is_in_the_access_matrix_or_listed_as_uncovered():
    existing = matrix.existing_routes()
    covered = set(matrix.covered_routes())
    uncovered = set(matrix.UNCOVERED)
    missing = sorted(existing - covered - uncovered)
    assert not missing, ("routes with no entry in any app's tests/scope.py (add a ScopedEndpoint or a Route): "
                         + ", ".join(missing))


def test_the_uncovered_list_only_names_routes_that_exist_and_are_still_uncovered():
    existing = matrix.existing_routes()
    covered = set(matrix.covered_routes())
    stale = sorted(k for k in matrix.UNCOVERED if k not in existing or k in covered)
    assert not stale, "remove from UNCOVERED (covered now, or gone): " + ", ".join(stale)
    assert len(matrix.UNCOVERED) == len(set(matrix.UNCOVERED))


def test_matrix_entries_name_routes_that_exist():
    existing = matrix.existing_routes()
    wrong = sorted(f"{name}: {key}" for key, name in matrix.covered_routes().items() if key not in existing)
    assert not wrong, wrong


def test_coverage_figures(capsys):
    existing = matrix.existing_routes()
    covered = set(matrix.covered_routes()) & existing
    api = {k for k in existing if not k.startswith("WEB ")}
    with capsys.disabled():
        print(f"\naccess matrix: {len(covered & api)}/{len(api)} API operations, "
              f"{len(covered - api)}/{len(existing - api)} pages")
    assert covered


def test_uncovered_keys_are_well_formed():
    for key in matrix.UNCOVERED:
        method, _, route = key.partition(" ")
        assert method in {"WEB", "GET", "POST", "PUT", "PATCH", "DELETE"} and not route.startswith("/"), key
