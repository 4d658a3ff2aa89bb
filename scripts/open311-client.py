#!/usr/bin/env python3
"""Open311 against a running demo server with a third-party client from PyPI, unchanged.

Reads go through `georeport` (PyPI, a GeoReport v2 client): the services, a service definition,
the requests of the default 90-day window and filtered by service, one request — in JSON and in
XML. georeport cannot post (its documentation says so), and the other clients on PyPI and npm that
can (open311 1.1, three 0.8, node open311 0.0.12) are Python 2 or need packages no registry holds,
so the post is made with `requests` exactly as the spec describes it (form-encoded, api_key,
lat/long), and the request it made is then read back through georeport.

Usage: open311-client.py BASE_URL API_KEY
"""

import sys

import requests
from georeport import GeoReport

base, api_key = sys.argv[1].rstrip("/"), sys.argv[2]
root = f"{base}/open311/v2"
failures = []


def check(what, ok):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


posted = requests.post(
    f"{root}/requests.json",
    data={
        "api_key": api_key,
        "service_code": "cityscape",
        "lat": "24.6975",
        "long": "118.4581",
        "description": "安海镇西垵街井盖缺失，夜间有人跌倒",
        "first_name": "三",
        "last_name": "张",
        "phone": "13800001111",
    },
    timeout=20,
)
check(f"POST requests.json answers 200 ({posted.status_code})", posted.status_code == 200)
number = posted.json()[0]["service_request_id"]
check("the new request's id is a string", isinstance(number, str) and number.startswith("BD"))

for fmt in ("json", "xml"):
    client = GeoReport(root, api_key=api_key, output_format=fmt)
    services = client.get_service_list()
    codes = [s["service_code"] for s in services]
    check(f"{fmt}: services list the categories", "cityscape" in codes and "urban" in codes)
    definition = client.get_service_definition("cityscape")
    check(f"{fmt}: a service definition names its code", definition["service_code"] == "cityscape")
    recent = client.get_service_requests()
    recent = recent if isinstance(recent, list) else [recent]
    check(f"{fmt}: the default window holds the new request", any(r["service_request_id"] == number for r in recent))
    filtered = client.get_service_requests(service_code="cityscape", status="open")
    filtered = filtered if isinstance(filtered, list) else [filtered]
    check(f"{fmt}: filtered by service and status", all(r["service_code"] == "cityscape" for r in filtered))
    one = client.get_service_request(number)
    one = one[0] if isinstance(one, list) else one
    check(f"{fmt}: one request reads back", one["service_request_id"] == number and one["status"] == "open")
    check(f"{fmt}: expected_datetime from the calendar", str(one["expected_datetime"]).endswith("T18:00:00+08:00"))
    check(f"{fmt}: nothing personal", "13800001111" not in str(one) and "张三" not in str(one))

if failures:
    print(f"{len(failures)} Open311 check(s) failed")
    sys.exit(1)
print("Open311: the third-party client read everything back")
