#!/usr/bin/env python3
"""Validate Bangdu's OpenAPI document and check real answers against it.

Against a running server with the demo data (`bangdu serve --demo`): the document must validate as
OpenAPI 3.1 (openapi-spec-validator), and the JSON answers of every GET operation — signed in as
the demo administrator, with ids taken from the lists — must match the schema the document gives
for their status. An answer the document does not describe is a failure.

Usage: pip install openapi-spec-validator jsonschema && python3 scripts/check-openapi.py http://127.0.0.1:8080
"""
import http.cookiejar
import json
import sys
import urllib.error
import urllib.request

import jsonschema
from openapi_spec_validator import OpenAPIV31SpecValidator

PASSWORD = "Bangdu@2025"
DAYS = {"date": "2026-10-01", "year": "2026"}
QUERIES = {
    "/api/v1/calendar/add-workdays": "?from=2026-12-30&days=5",
    "/api/v1/calendar/workdays": "?from=2026-09-25&to=2026-10-12",
}


def main(base):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def call(method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(base + path, data=data, method=method)
        req.add_header("content-type", "application/json")
        req.add_header("origin", base)
        try:
            with opener.open(req) as r:
                return r.status, r.headers.get("content-type", ""), r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("content-type", ""), e.read()

    status, _, raw = call("GET", "/api/v1/openapi.json")
    assert status == 200, status
    doc = json.loads(raw)
    errors = list(OpenAPIV31SpecValidator(doc).iter_errors())
    for e in errors[:20]:
        print("document:", e.message[:300])
    print(f"document: OpenAPI {doc['openapi']}, {len(doc['paths'])} paths, {len(errors)} validation errors")

    status, _, raw = call("POST", "/api/v1/session", {"username": "admin", "password": PASSWORD})
    assert status == 200, (status, raw[:200])

    # Ids from the lists, for the paths that take one.
    ids = {}
    for key, path in [("items", "/api/v1/items?per_page=5"), ("projects", "/api/v1/projects?per_page=5"),
                      ("units", "/api/v1/units?per_page=5"), ("users", "/api/v1/users?per_page=5")]:
        status, _, raw = call("GET", path)
        data = json.loads(raw)["data"] if status == 200 else []
        ids[key] = [str(row["id"]) for row in data[:3]]

    problems = checked = 0
    for template, item in sorted(doc["paths"].items()):
        op = item.get("get")
        if not op or template == "/api/v1/openapi.json":
            continue
        parts = template.strip("/").split("/")
        resource = parts[2] if len(parts) > 2 else ""
        paths = []
        if "{id}" in template and "{file_id}" not in template:
            paths = [template.replace("{id}", i) for i in ids.get(resource, [])]
        elif "{" in template:
            concrete = template
            for name, value in DAYS.items():
                concrete = concrete.replace("{" + name + "}", value)
            paths = [] if "{" in concrete else [concrete]
        else:
            paths = [template + QUERIES.get(template, "")]
        for path in paths:
            status, ctype, raw = call("GET", path)
            if "json" not in ctype:
                continue
            described = op["responses"].get(str(status))
            if described is None:
                print(f"{path}: answered {status}, which the document does not describe")
                problems += 1
                continue
            schema = described.get("content", {}).get("application/json", {}).get("schema")
            if schema is None:
                continue
            checked += 1
            try:
                jsonschema.validate(json.loads(raw), {**schema, "components": doc["components"]},
                                    cls=jsonschema.Draft202012Validator)
            except jsonschema.ValidationError as e:
                where = "/".join(str(p) for p in e.absolute_path)
                print(f"{path}: {status} does not match the document at {where or 'the top'}: {e.message[:200]}")
                problems += 1
    print(f"answers: {checked} JSON answers checked against the document, {problems} problems")
    return 1 if errors or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8080"))
