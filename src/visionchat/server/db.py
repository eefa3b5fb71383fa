"""SQLite storage for the reference server: schema plus every read and write it needs.

One connection guarded by a lock, so calls are safe from the event loop and from worker
threads alike (a chat turn is written from a worker thread). Writes run inside
``BEGIN IMMEDIATE`` transactions, so a crash never leaves half a turn behind and a
restart on the same file loses nothing. The ``write_*`` functions at module level take
the cursor of a transaction the caller holds, so one caller can make several writes
(and the checks they depend on) one atomic step.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from .clock import utc_now_iso
from .models import (
    DocumentItem,
    IdempotencyClaim,
    IdempotencyRow,
    ImageItem,
    MessageRow,
    PlanRow,
    Scene,
    SessionRow,
    StoredReply,
    VideoItem,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tenants (id TEXT PRIMARY KEY, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS api_keys (
    key TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id));
CREATE TABLE IF NOT EXISTS images (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, position INTEGER NOT NULL,
    filename TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL,
    tags TEXT NOT NULL, category TEXT NOT NULL, confidence REAL NOT NULL,
    created_at TEXT NOT NULL, folder TEXT NOT NULL DEFAULT '',
    archived INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS images_by_tenant ON images(tenant_id, position);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, position INTEGER NOT NULL,
    filename TEXT NOT NULL, title TEXT NOT NULL, pages TEXT NOT NULL,
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS videos (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, position INTEGER NOT NULL,
    filename TEXT NOT NULL, title TEXT NOT NULL, duration_seconds INTEGER NOT NULL,
    scenes TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, title TEXT NOT NULL,
    domain TEXT NOT NULL, use_all_images INTEGER NOT NULL, is_active INTEGER NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, closed_at TEXT,
    last_message_at TEXT, total_messages INTEGER NOT NULL DEFAULT 0,
    total_tokens INTEGER NOT NULL DEFAULT 0, token_budget INTEGER NOT NULL,
    message_budget INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_by_tenant ON sessions(tenant_id, updated_at, id);
CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY, session_id TEXT NOT NULL, seq INTEGER NOT NULL,
    role TEXT NOT NULL, content TEXT NOT NULL, token_count INTEGER,
    created_at TEXT NOT NULL, processing_time_ms INTEGER, provider TEXT, model TEXT,
    image_context TEXT, metadata TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS messages_by_session ON messages(session_id, seq);
CREATE TABLE IF NOT EXISTS selections (
    session_id TEXT NOT NULL, kind TEXT NOT NULL, item_id TEXT NOT NULL,
    position INTEGER NOT NULL, PRIMARY KEY (session_id, kind, item_id));
CREATE TABLE IF NOT EXISTS plans (
    id TEXT PRIMARY KEY, session_id TEXT NOT NULL, tenant_id TEXT NOT NULL,
    status TEXT NOT NULL, message TEXT NOT NULL, steps TEXT NOT NULL,
    created_at TEXT NOT NULL, result TEXT);
CREATE TABLE IF NOT EXISTS idempotency (
    tenant_id TEXT NOT NULL, key TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
    body_hash TEXT NOT NULL, state TEXT NOT NULL, status INTEGER, content_type TEXT,
    body BLOB, stream BLOB, created_at TEXT NOT NULL, PRIMARY KEY (tenant_id, key));
CREATE INDEX IF NOT EXISTS idempotency_by_age ON idempotency(created_at);
"""

SELECTION_KINDS = ("image", "document", "video")


class Database:
    """Data access for one SQLite file. Safe to share between threads (one lock)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        with self._lock:
            self._drop_old_idempotency_table()
            self._conn.executescript(SCHEMA)

    def _drop_old_idempotency_table(self) -> None:
        """Files from before streams were stored compactly keep whole event lists in an
        ``events`` column; those records are a 24 h cache, so the table is recreated."""
        columns = {r["name"] for r in self._conn.execute("PRAGMA table_info(idempotency)")}
        if "events" in columns:
            self._conn.execute("DROP TABLE idempotency")

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Cursor]:
        """Run a block as one write transaction: all of it commits, or none of it."""
        with self._lock:
            cur = self._conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            else:
                cur.execute("COMMIT")
            finally:
                cur.close()

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return list(self._conn.execute(sql, params).fetchall())

    # -- meta, tenants, keys -------------------------------------------------------

    def set_meta_default(self, name: str, value: str) -> str:
        """Store ``value`` unless a value exists; return the stored one."""
        with self.transaction() as cur:
            cur.execute("INSERT OR IGNORE INTO meta(name, value) VALUES (?, ?)", (name, value))
            row = cur.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
            return str(row["value"])

    def tenant_exists(self, tenant_id: str) -> bool:
        return bool(self._query("SELECT 1 FROM tenants WHERE id = ?", (tenant_id,)))

    def create_tenant(
        self,
        tenant_id: str,
        images: Sequence[ImageItem],
        documents: Sequence[DocumentItem],
        videos: Sequence[VideoItem],
    ) -> None:
        """Create a tenant together with its library, in one transaction."""
        with self.transaction() as cur:
            cur.execute(
                "INSERT INTO tenants(id, created_at) VALUES (?, ?)", (tenant_id, utc_now_iso())
            )
            cur.executemany(
                "INSERT INTO images(id, tenant_id, position, filename, title, description,"
                " tags, category, confidence, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        i.id,
                        tenant_id,
                        n,
                        i.filename,
                        i.title,
                        i.description,
                        json.dumps(list(i.tags)),
                        i.category,
                        i.confidence,
                        i.created_at,
                    )
                    for n, i in enumerate(images)
                ],
            )
            cur.executemany(
                "INSERT INTO documents(id, tenant_id, position, filename, title, pages,"
                " created_at) VALUES (?,?,?,?,?,?,?)",
                [
                    (
                        d.id,
                        tenant_id,
                        n,
                        d.filename,
                        d.title,
                        json.dumps(list(d.pages)),
                        d.created_at,
                    )
                    for n, d in enumerate(documents)
                ],
            )
            cur.executemany(
                "INSERT INTO videos(id, tenant_id, position, filename, title,"
                " duration_seconds, scenes, created_at) VALUES (?,?,?,?,?,?,?,?)",
                [
                    (
                        v.id,
                        tenant_id,
                        n,
                        v.filename,
                        v.title,
                        v.duration_seconds,
                        json.dumps([[s.at_seconds, s.note] for s in v.scenes]),
                        v.created_at,
                    )
                    for n, v in enumerate(videos)
                ],
            )

    def replace_api_keys(self, keys: dict[str, str]) -> None:
        """Make ``keys`` (key -> tenant) the complete set of valid keys."""
        with self.transaction() as cur:
            cur.execute("DELETE FROM api_keys")
            cur.executemany(
                "INSERT INTO api_keys(key, tenant_id) VALUES (?, ?)", list(keys.items())
            )

    def tenant_for_key(self, key: str) -> str | None:
        rows = self._query("SELECT tenant_id FROM api_keys WHERE key = ?", (key,))
        return str(rows[0]["tenant_id"]) if rows else None

    # -- library -----------------------------------------------------------------

    def images(self, tenant_id: str) -> list[ImageItem]:
        """All visible (not archived) images of a tenant, in library order."""
        rows = self._query(
            "SELECT * FROM images WHERE tenant_id = ? AND archived = 0 ORDER BY position",
            (tenant_id,),
        )
        return [_image(r) for r in rows]

    def documents(self, tenant_id: str) -> list[DocumentItem]:
        rows = self._query(
            "SELECT * FROM documents WHERE tenant_id = ? ORDER BY position", (tenant_id,)
        )
        return [
            DocumentItem(
                id=r["id"],
                filename=r["filename"],
                title=r["title"],
                pages=tuple(json.loads(r["pages"])),
                created_at=r["created_at"],
            )
            for r in rows
        ]

    def videos(self, tenant_id: str) -> list[VideoItem]:
        rows = self._query(
            "SELECT * FROM videos WHERE tenant_id = ? ORDER BY position", (tenant_id,)
        )
        return [
            VideoItem(
                id=r["id"],
                filename=r["filename"],
                title=r["title"],
                duration_seconds=r["duration_seconds"],
                scenes=tuple(Scene(int(a), str(n)) for a, n in json.loads(r["scenes"])),
                created_at=r["created_at"],
            )
            for r in rows
        ]

    def image_by_id(self, image_id: str) -> ImageItem | None:
        """Any image by id (used by the thumbnail route, which checks a signature)."""
        rows = self._query("SELECT * FROM images WHERE id = ?", (image_id,))
        return _image(rows[0]) if rows else None

    def owned_ids(self, tenant_id: str, kind: str, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` that this tenant owns (images: only visible ones)."""
        table = {"image": "images", "document": "documents", "video": "videos"}[kind]
        wanted = list(dict.fromkeys(ids))
        found: set[str] = set()
        extra = " AND archived = 0" if kind == "image" else ""
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._query(
                f"SELECT id FROM {table} WHERE tenant_id = ? AND id IN ({marks}){extra}",
                [tenant_id, *chunk],
            )
            found.update(str(r["id"]) for r in rows)
        return found

    # -- sessions ----------------------------------------------------------------

    def create_session(
        self,
        *,
        session_id: str,
        tenant_id: str,
        title: str,
        use_all_images: bool,
        image_ids: Sequence[str],
        token_budget: int,
        message_budget: int,
        domain: str = "general",
    ) -> SessionRow:
        now = utc_now_iso()
        with self.transaction() as cur:
            cur.execute(
                "INSERT INTO sessions(id, tenant_id, title, domain, use_all_images, is_active,"
                " created_at, updated_at, token_budget, message_budget)"
                " VALUES (?,?,?,?,?,1,?,?,?,?)",
                (
                    session_id,
                    tenant_id,
                    title,
                    domain,
                    int(use_all_images),
                    now,
                    now,
                    token_budget,
                    message_budget,
                ),
            )
            write_selection(cur, session_id, "image", image_ids, touch=False)
        session = self.get_session(session_id)
        assert session is not None
        return session

    def get_session(self, session_id: str) -> SessionRow | None:
        rows = self._query("SELECT * FROM sessions WHERE id = ?", (session_id,))
        return _session(rows[0]) if rows else None

    def list_sessions(
        self,
        tenant_id: str,
        *,
        limit: int,
        offset: int,
        is_active: bool | None,
        search: str | None,
        min_messages: int | None,
    ) -> tuple[list[SessionRow], int]:
        """One page of a tenant's sessions, newest first (updated_at, then id)."""
        where = ["s.tenant_id = ?"]
        params: list[Any] = [tenant_id]
        if is_active is not None:
            where.append("s.is_active = ?")
            params.append(int(is_active))
        if min_messages is not None:
            where.append("s.total_messages >= ?")
            params.append(min_messages)
        if search:
            pattern = (
                "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            )
            where.append(
                "(s.title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM messages m"
                " WHERE m.session_id = s.id AND m.content LIKE ? ESCAPE '\\'))"
            )
            params.extend([pattern, pattern])
        clause = " AND ".join(where)
        total = int(
            self._query(f"SELECT COUNT(*) AS n FROM sessions s WHERE {clause}", params)[0]["n"]
        )
        rows = self._query(
            f"SELECT s.* FROM sessions s WHERE {clause}"
            " ORDER BY s.updated_at DESC, s.id DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [_session(r) for r in rows], total

    def update_session(self, session_id: str, **fields: Any) -> SessionRow:
        """Set columns on a session and bump ``updated_at``; return the new row."""
        allowed = {"title", "domain", "use_all_images", "is_active", "closed_at"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"not updatable: {sorted(unknown)}")
        assignments = [f"{name} = ?" for name in fields] + ["updated_at = ?"]
        values = [int(v) if isinstance(v, bool) else v for v in fields.values()]
        with self.transaction() as cur:
            cur.execute(
                f"UPDATE sessions SET {', '.join(assignments)} WHERE id = ?",
                [*values, utc_now_iso(), session_id],
            )
        session = self.get_session(session_id)
        assert session is not None
        return session

    def selection(self, session_id: str, kind: str) -> list[str]:
        rows = self._query(
            "SELECT item_id FROM selections WHERE session_id = ? AND kind = ? ORDER BY position",
            (session_id, kind),
        )
        return [str(r["item_id"]) for r in rows]

    def set_selection(self, session_id: str, kind: str, ids: Sequence[str]) -> None:
        """Replace a session's selection of one kind, and bump ``updated_at``."""
        with self.transaction() as cur:
            write_selection(cur, session_id, kind, ids)

    # -- messages ----------------------------------------------------------------

    def messages(self, session_id: str, limit: int | None = None) -> list[MessageRow]:
        """The most recent ``limit`` messages (all when None), oldest first."""
        sql = "SELECT * FROM messages WHERE session_id = ? ORDER BY seq DESC"
        params: list[Any] = [session_id]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = self._query(sql, params)
        return [_message(r) for r in reversed(rows)]

    def last_message(self, session_id: str, role: str | None = None) -> MessageRow | None:
        sql = "SELECT * FROM messages WHERE session_id = ?"
        params: list[Any] = [session_id]
        if role is not None:
            sql += " AND role = ?"
            params.append(role)
        rows = self._query(sql + " ORDER BY seq DESC LIMIT 1", params)
        return _message(rows[0]) if rows else None

    # -- plans -------------------------------------------------------------------

    def get_plan(self, plan_id: str) -> PlanRow | None:
        rows = self._query("SELECT * FROM plans WHERE id = ?", (plan_id,))
        if not rows:
            return None
        r = rows[0]
        return PlanRow(
            id=r["id"],
            session_id=r["session_id"],
            tenant_id=r["tenant_id"],
            status=r["status"],
            message=r["message"],
            steps=json.loads(r["steps"]),
            created_at=r["created_at"],
            result=None if r["result"] is None else json.loads(r["result"]),
        )

    def transition_plan(
        self, plan_id: str, from_status: str, to_status: str, result: dict[str, Any] | None = None
    ) -> bool:
        """Move a plan between states only if it is in ``from_status`` (compare-and-set)."""
        with self.transaction() as cur:
            return write_plan_status(cur, plan_id, from_status, to_status, result)

    def reset_running_plans(self) -> None:
        """After a restart nothing is running: put interrupted plans back to pending."""
        with self.transaction() as cur:
            cur.execute("UPDATE plans SET status = 'pending' WHERE status = 'running'")

    # -- idempotency -------------------------------------------------------------

    def get_idempotency(self, tenant_id: str, key: str) -> IdempotencyRow | None:
        rows = self._query(
            "SELECT * FROM idempotency WHERE tenant_id = ? AND key = ?", (tenant_id, key)
        )
        if not rows:
            return None
        r = rows[0]
        return IdempotencyRow(
            tenant_id=r["tenant_id"],
            key=r["key"],
            method=r["method"],
            path=r["path"],
            body_hash=r["body_hash"],
            state=r["state"],
            status=r["status"],
            content_type=r["content_type"],
            body=None if r["body"] is None else bytes(r["body"]),
            stream=None if r["stream"] is None else bytes(r["stream"]),
            created_at=r["created_at"],
        )

    def claim_idempotency(
        self, tenant_id: str, key: str, method: str, path: str, body_hash: str
    ) -> bool:
        """Insert a ``running`` record; False when the key is already taken."""
        with self.transaction() as cur:
            inserted = cur.execute(
                "INSERT OR IGNORE INTO idempotency(tenant_id, key, method, path, body_hash,"
                " state, created_at) VALUES (?,?,?,?,?, 'running', ?)",
                (tenant_id, key, method, path, body_hash, utc_now_iso()),
            ).rowcount
        return inserted == 1

    def finish_idempotency(self, record: StoredReply) -> None:
        """Store the reply of a request that ran under a key (its own transaction)."""
        with self.transaction() as cur:
            write_idempotency(cur, record)

    def release_idempotency(self, tenant_id: str, key: str) -> None:
        """Forget a key whose request failed, so a retry does the work.

        Only a running claim is forgotten: a reply stored by the work itself stays, even
        when the request that did the work was cancelled afterwards.
        """
        with self.transaction() as cur:
            cur.execute(
                "DELETE FROM idempotency WHERE tenant_id = ? AND key = ? AND state = 'running'",
                (tenant_id, key),
            )

    def drop_running_idempotency(self) -> None:
        """At start-up, forget keys whose request never finished (the server died)."""
        with self.transaction() as cur:
            cur.execute("DELETE FROM idempotency WHERE state = 'running'")

    def expire_idempotency(self, older_than: str) -> None:
        with self.transaction() as cur:
            cur.execute("DELETE FROM idempotency WHERE created_at < ?", (older_than,))


def read_session(cur: sqlite3.Cursor, session_id: str) -> SessionRow | None:
    """A session as the transaction holding ``cur`` sees it."""
    row = cur.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
    return None if row is None else _session(row)


def write_selection(
    cur: sqlite3.Cursor, session_id: str, kind: str, ids: Sequence[str], *, touch: bool = True
) -> None:
    """Replace a session's selection of one kind; ``touch`` bumps ``updated_at``."""
    if kind not in SELECTION_KINDS:
        raise ValueError(kind)
    cur.execute("DELETE FROM selections WHERE session_id = ? AND kind = ?", (session_id, kind))
    cur.executemany(
        "INSERT OR IGNORE INTO selections(session_id, kind, item_id, position) VALUES (?,?,?,?)",
        [(session_id, kind, item_id, n) for n, item_id in enumerate(ids)],
    )
    if touch:
        cur.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", (utc_now_iso(), session_id))


def write_messages(cur: sqlite3.Cursor, session_id: str, messages: Sequence[MessageRow]) -> None:
    """Append messages and add them to the session's totals."""
    row = cur.execute(
        "SELECT COALESCE(MAX(seq), 0) AS s FROM messages WHERE session_id = ?", (session_id,)
    ).fetchone()
    seq = int(row["s"])
    for message in messages:
        seq += 1
        cur.execute(
            "INSERT INTO messages(id, session_id, seq, role, content, token_count,"
            " created_at, processing_time_ms, provider, model, image_context, metadata)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                message.id,
                session_id,
                seq,
                message.role,
                message.content,
                message.token_count,
                message.created_at,
                message.processing_time_ms,
                message.provider,
                message.model,
                None if message.image_context is None else json.dumps(message.image_context),
                json.dumps(message.metadata),
            ),
        )
    tokens = sum(m.token_count or 0 for m in messages)
    last = messages[-1].created_at if messages else utc_now_iso()
    cur.execute(
        "UPDATE sessions SET total_messages = total_messages + ?,"
        " total_tokens = total_tokens + ?, last_message_at = ?, updated_at = ?"
        " WHERE id = ?",
        (len(messages), tokens, last, utc_now_iso(), session_id),
    )


def write_plan(cur: sqlite3.Cursor, plan: PlanRow) -> None:
    """Insert a proposed plan."""
    cur.execute(
        "INSERT INTO plans(id, session_id, tenant_id, status, message, steps, created_at)"
        " VALUES (?,?,?,?,?,?,?)",
        (
            plan.id,
            plan.session_id,
            plan.tenant_id,
            plan.status,
            plan.message,
            json.dumps(plan.steps),
            plan.created_at,
        ),
    )


def write_image_changes(
    cur: sqlite3.Cursor,
    tenant_id: str,
    *,
    add_tags: dict[str, str] | None = None,
    folders: dict[str, str] | None = None,
    archive: Iterable[str] = (),
) -> int:
    """Apply a plan step's changes to a tenant's images; return the rows touched."""
    touched = 0
    for image_id, tag in (add_tags or {}).items():
        row = cur.execute(
            "SELECT tags FROM images WHERE id = ? AND tenant_id = ?", (image_id, tenant_id)
        ).fetchone()
        if row is None:
            continue
        tags = list(json.loads(row["tags"]))
        if tag not in tags:
            tags.append(tag)
        cur.execute("UPDATE images SET tags = ? WHERE id = ?", (json.dumps(tags), image_id))
        touched += 1
    for image_id, folder in (folders or {}).items():
        touched += cur.execute(
            "UPDATE images SET folder = ? WHERE id = ? AND tenant_id = ?",
            (folder, image_id, tenant_id),
        ).rowcount
    for image_id in archive:
        touched += cur.execute(
            "UPDATE images SET archived = 1 WHERE id = ? AND tenant_id = ?", (image_id, tenant_id)
        ).rowcount
    return touched


def write_plan_status(
    cur: sqlite3.Cursor,
    plan_id: str,
    from_status: str,
    to_status: str,
    result: dict[str, Any] | None = None,
) -> bool:
    """Compare-and-set a plan's status; False when it was not in ``from_status``."""
    changed = cur.execute(
        "UPDATE plans SET status = ?, result = COALESCE(?, result) WHERE id = ? AND status = ?",
        (to_status, None if result is None else json.dumps(result), plan_id, from_status),
    ).rowcount
    return changed == 1


def write_json_reply(cur: sqlite3.Cursor, claim: IdempotencyClaim | None, text: str) -> None:
    """Store a 200 JSON reply under the request's key, when it came with one."""
    if claim is not None:
        write_idempotency(
            cur, StoredReply(claim, 200, "application/json", body=text.encode("utf-8"))
        )


def write_idempotency(cur: sqlite3.Cursor, record: StoredReply) -> None:
    """Store the reply of a key's request; written whole, even if the claim was released."""
    cur.execute(
        "INSERT INTO idempotency(tenant_id, key, method, path, body_hash, state, status,"
        " content_type, body, stream, created_at) VALUES (?,?,?,?,?, 'done', ?,?,?,?,?)"
        " ON CONFLICT(tenant_id, key) DO UPDATE SET state = 'done', status = excluded.status,"
        " content_type = excluded.content_type, body = excluded.body, stream = excluded.stream",
        (
            record.claim.tenant_id,
            record.claim.key,
            record.claim.method,
            record.claim.path,
            record.claim.body_hash,
            record.status,
            record.content_type,
            record.body,
            record.stream,
            utc_now_iso(),
        ),
    )


def _image(r: sqlite3.Row) -> ImageItem:
    return ImageItem(
        id=r["id"],
        filename=r["filename"],
        title=r["title"],
        description=r["description"],
        tags=tuple(json.loads(r["tags"])),
        category=r["category"],
        confidence=float(r["confidence"]),
        created_at=r["created_at"],
        folder=r["folder"],
    )


def _session(r: sqlite3.Row) -> SessionRow:
    return SessionRow(
        id=r["id"],
        tenant_id=r["tenant_id"],
        title=r["title"],
        domain=r["domain"],
        use_all_images=bool(r["use_all_images"]),
        is_active=bool(r["is_active"]),
        created_at=r["created_at"],
        updated_at=r["updated_at"],
        closed_at=r["closed_at"],
        last_message_at=r["last_message_at"],
        total_messages=int(r["total_messages"]),
        total_tokens=int(r["total_tokens"]),
        token_budget=int(r["token_budget"]),
        message_budget=int(r["message_budget"]),
    )


def _message(r: sqlite3.Row) -> MessageRow:
    return MessageRow(
        id=r["id"],
        session_id=r["session_id"],
        role=r["role"],
        content=r["content"],
        token_count=r["token_count"],
        created_at=r["created_at"],
        processing_time_ms=r["processing_time_ms"],
        provider=r["provider"],
        model=r["model"],
        image_context=None if r["image_context"] is None else json.loads(r["image_context"]),
        metadata=json.loads(r["metadata"]),
    )
