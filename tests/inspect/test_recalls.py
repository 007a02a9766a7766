"""A recall reaches every batch derived from what was recalled, in one action."""

from datetime import timedelta

import psycopg
from fastapi.testclient import TestClient

from labels.lot_codes import lot_code_for
from schemas.batches import MergeCreate, SplitChild, SplitCreate
from store.genealogy import merge_batches, split_batch
from store.users import NewUserSecrets
from tests.fix_api import bearer, login
from tests.inspect.cold_chain import T0, move, new_batch, seed_district


def family(db: psycopg.Connection) -> dict[str, list[str]]:
    """root → two packs; one pack split again; one grandchild merged with an unrelated lot."""
    seed_district(db)
    root = new_batch(db)
    other = new_batch(db, quantity=10)
    packs = split_batch(
        db, root,
        SplitCreate(children=[SplitChild(quantity=50), SplitChild(quantity=50)],
                    time=T0 + timedelta(hours=1)),
        None, lot_code_for,
    )  # fmt: skip
    small = split_batch(
        db, packs[1].lot_code,
        SplitCreate(children=[SplitChild(quantity=20), SplitChild(quantity=30)],
                    time=T0 + timedelta(hours=2)),
        None, lot_code_for,
    )  # fmt: skip
    merged = merge_batches(
        db, MergeCreate(parents=[small[0].lot_code, other], time=T0 + timedelta(hours=3)),
        None, lot_code_for,
    )  # fmt: skip
    db.commit()
    move(db, packs[0].lot_code, "TRUCK-01", T0 + timedelta(hours=4))
    derived = [p.lot_code for p in packs] + [s.lot_code for s in small] + [merged.lot_code]
    return {"root": [root], "derived": derived, "unrelated": [other]}


def test_recalling_a_batch_reaches_every_descendant_and_says_where_each_is(
    db: psycopg.Connection, client: TestClient, staff_token: str, inspector_token: str
) -> None:
    lots = family(db)
    body = {"batch": lots["root"][0], "reason": "农残超标 pesticide residue over limit"}
    assert client.post("/api/v1/recalls", json=body).status_code == 401
    assert (
        client.post("/api/v1/recalls", json=body, headers=bearer(inspector_token)).status_code
        == 403
    )
    answer = client.post("/api/v1/recalls", json=body, headers=bearer(staff_token))
    assert answer.status_code == 201, answer.text
    recalled = {b["lot_code"]: b for b in answer.json()["batches"]}
    assert set(recalled) == set(lots["root"] + lots["derived"])
    assert recalled[lots["derived"][0]]["location"] == "TRUCK-01"
    for lot in lots["root"] + lots["derived"]:
        batch = client.get(f"/api/v1/batches/{lot}", headers=bearer(inspector_token)).json()
        assert batch["recalled_at"] is not None
    unrelated = client.get(
        f"/api/v1/batches/{lots['unrelated'][0]}", headers=bearer(inspector_token)
    ).json()
    assert unrelated["recalled_at"] is None
    audit = db.execute("SELECT action, object FROM audit_log WHERE action = 'recall'").fetchall()
    assert audit == [("recall", f"batch {lots['root'][0]}")]


def test_recalling_a_producer_reaches_the_merged_batch_through_its_harvests(
    db: psycopg.Connection, client: TestClient, staff_token: str
) -> None:
    lots = family(db)
    answer = client.post(
        "/api/v1/recalls", json={"producer": "P-ABU", "reason": "test"},
        headers=bearer(staff_token),
    )  # fmt: skip
    assert answer.status_code == 201
    reached = {b["lot_code"] for b in answer.json()["batches"]}
    assert reached == set(lots["root"] + lots["derived"] + lots["unrelated"])


def test_a_recall_must_name_exactly_one_thing(client: TestClient, staff_token: str) -> None:
    answer = client.post(
        "/api/v1/recalls", json={"batch": "A1", "producer": "P", "reason": "x"},
        headers=bearer(staff_token),
    )  # fmt: skip
    assert answer.status_code == 422


def test_staff_recall_from_the_batch_page_and_inspectors_see_no_form(
    db: psycopg.Connection,
    client: TestClient,
    staff_user: NewUserSecrets,
    inspector_user: NewUserSecrets,
) -> None:
    lots = family(db)
    page = f"/inspect/batches/{lots['root'][0]}"
    login(client, inspector_user.user.username, inspector_user.password)
    assert "recall-form" not in client.get(page, headers={"Accept": "text/html"}).text
    login(client, staff_user.user.username, staff_user.password)
    html = client.get(page, headers={"Accept": "text/html"}).text
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.startswith(lots["root"][0]) and "<" not in title
    token = html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = client.post(
        f"{page}/recall", data={"csrf_token": token, "reason": "霉变 mould found"},
        headers={"Accept": "text/html"}, follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303
    after = client.get(page, headers={"Accept": "text/html"}).text
    assert "霉变 mould found" in after and "recall-form" not in after
    recalled = db.execute("SELECT count(*) FROM batches WHERE recalled_at IS NOT NULL").fetchone()
    assert recalled == (1 + len(lots["derived"]),)
