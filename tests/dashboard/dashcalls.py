"""Calling a Dash callback over HTTP as the browser does, for tests and the app benchmark."""

from __future__ import annotations

from typing import Any

__all__ = ["callback_key", "callback_payload", "post_callback"]


def callback_key(app, output: str) -> str:
    """The callback map's key for the callback whose (first) output is ``output`` (``"id.property"``)."""
    return next(key for key in app.callback_map if key == output or key.startswith(f"..{output}."))


def callback_payload(app, output: str, inputs: list[dict[str, Any]],
                     state: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The JSON body of ``/_dash-update-component`` for that callback, with the given inputs and state."""
    key = callback_key(app, output)
    outputs = [{"id": name, "property": prop} for name, prop in
               (part.rsplit(".", 1) for part in key.strip(".").split("..."))]
    return {"output": key, "outputs": outputs if key.startswith("..") else outputs[0], "inputs": inputs,
            "state": state or [], "changedPropIds": [f"{i['id']}.{i['property']}" for i in inputs]}


def post_callback(app, client, output: str, inputs: list[dict[str, Any]],
                  state: list[dict[str, Any]] | None = None):
    """POST the callback with ``client`` (a Flask test client); returns the response."""
    return client.post("/_dash-update-component", json=callback_payload(app, output, inputs, state))
