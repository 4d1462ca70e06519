"""A REST client that keeps a mirror of one list, as the API documentation tells
clients to: a full download once, then the changes feed from its watermark."""

from typing import Any

from pompidou.sync import WATERMARK_HEADER


class Mirror:
    """The rows of ``url`` as ``client`` sees them, by their ``key`` field."""

    def __init__(self, client: Any, url: str, key: str) -> None:
        self.client, self.url, self.key = client, url, key
        self.rows: dict[Any, dict] = {}
        self.token: str | None = None

    def download(self) -> dict[Any, dict]:
        """Every page of the list; keeps the first page's watermark as the token."""
        rows: dict[Any, dict] = {}
        url: str | None = f"{self.url}?page_size=2"
        first = True
        while url:
            response = self.client.get(url)
            assert response.status_code == 200, response.content
            if first:
                self.token, first = response[WATERMARK_HEADER], False
            body = response.json()
            rows.update({row[self.key]: row for row in body["results"]})
            url = body["next"]
        return rows

    def full(self) -> None:
        self.rows = self.download()

    def sync(self, limit: int = 2) -> list[dict]:
        """Follow the feed from the token until it has no more; returns the changes."""
        seen: list[dict] = []
        while True:
            query: dict[str, Any] = {"limit": limit}
            if self.token is not None:  # none: from the beginning
                query["since"] = self.token
            response = self.client.get(f"{self.url}changes/", query)
            assert response.status_code == 200, response.content
            body = response.json()
            for change in body["changes"]:
                if change["change"] == "upsert":
                    self.rows[change["key"]] = change["data"]
                else:
                    self.rows.pop(change["key"], None)
            seen += body["changes"]
            self.token = body["next"]
            if not body["more"]:
                return seen
