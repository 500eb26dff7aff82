#!/usr/bin/env python3
"""A tiny Kubernetes API stand-in for the sidecar benchmarks (plain HTTP on 127.0.0.1).

Serves, in namespace NS, with the shapes kube-apiserver 1.33 returns (see tests/Shawarma.Tests/Fakes/Objects.cs):
  GET /apis/discovery.k8s.io/v1/namespaces/NS/endpointslices   list: one slice of Service SERVICE with POD ready
  GET /api/v1/namespaces/NS/services                           list: Service SERVICE
  GET /api/v1/namespaces/NS/pods?fieldSelector=metadata.name=POD  list: Pod POD: containers app (proa's) and sidecar (not ready)
  GET /api/v1/namespaces/NS/pods/POD                           Pod POD
  ...?watch=1                                                  chunked watch that stays open (until timeoutSeconds)
Usage: kube-standin.py PORTFILE [--namespace NS] [--service SERVICE] [--pod POD]
Binds an ephemeral port and writes it to PORTFILE once listening.
"""
import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

RV = "1000"


def endpoint_slice(ns, service, pod):
    return {
        "kind": "EndpointSlice", "apiVersion": "discovery.k8s.io/v1",
        "metadata": {
            "name": service + "-abc12", "generateName": service + "-", "namespace": ns,
            "uid": "5c2b7c64-1d6e-4f0b-9a51-0d5f3c1b2a01", "resourceVersion": RV, "generation": 1,
            "creationTimestamp": "2025-05-01T10:00:00Z",
            "labels": {"endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
                       "kubernetes.io/service-name": service},
            "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": "2025-05-01T10:00:00Z"},
            "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": service,
                                 "uid": "0b6f3c9e-2a1d-4c55-8e0f-7a9b1c2d3e4f", "controller": True,
                                 "blockOwnerDeletion": True}],
        },
        "addressType": "IPv4",
        "endpoints": [{
            "addresses": ["10.244.0.12"],
            "conditions": {"ready": True, "serving": True, "terminating": False},
            "nodeName": "kind-worker",
            "targetRef": {"kind": "Pod", "namespace": ns, "name": pod, "uid": "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"},
            "zone": "zone-a",
        }],
        "ports": [{"name": "http", "protocol": "TCP", "port": 8080}],
    }


def service_obj(ns, service):
    return {
        "kind": "Service", "apiVersion": "v1",
        "metadata": {"name": service, "namespace": ns, "uid": "0b6f3c9e-2a1d-4c55-8e0f-7a9b1c2d3e4f",
                     "resourceVersion": RV, "creationTimestamp": "2025-05-01T10:00:00Z", "labels": {"app": service}},
        "spec": {"type": "ClusterIP", "clusterIP": "10.96.12.34", "clusterIPs": ["10.96.12.34"],
                 "selector": {"app": service},
                 "ports": [{"name": "http", "protocol": "TCP", "port": 80, "targetPort": 8080}],
                 "sessionAffinity": "None", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                 "internalTrafficPolicy": "Cluster"},
        "status": {"loadBalancer": {}},
    }


def pod_obj(ns, pod):
    def status(name, ready):
        return {"name": name, "ready": ready, "started": True, "restartCount": 0,
                "image": "example/" + name + ":1", "imageID": "", "containerID": "containerd://" + name,
                "state": {"running": {"startedAt": "2025-05-01T10:00:00Z"}}}
    return {
        "kind": "Pod", "apiVersion": "v1",
        "metadata": {"name": pod, "namespace": ns, "uid": "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
                     "resourceVersion": RV, "creationTimestamp": "2025-05-01T10:00:00Z"},
        "spec": {"containers": [{"name": "app", "image": "example/app:1"},
                                {"name": "sidecar", "image": "example/sidecar:1"}],
                 "restartPolicy": "Always", "terminationGracePeriodSeconds": 30},
        "status": {"phase": "Running",
                   "conditions": [{"type": "Ready", "status": "False"}],
                   "containerStatuses": [status("app", True), status("sidecar", False)]},
    }


def listing(kind, api_version, items):
    return {"kind": kind, "apiVersion": api_version, "metadata": {"resourceVersion": RV}, "items": items}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    ns = service = pod = ""

    def log_message(self, *args):
        pass

    def send_json(self, code, obj):
        body = json.dumps(obj, separators=(",", ":")).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def hold_watch(self, query):
        # A watch with no events: headers and nothing else, until timeoutSeconds (what an idle apiserver does).
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()
        timeout = min(int((query.get("timeoutSeconds") or ["300"])[0]), 600)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                time.sleep(1)
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass
        self.close_connection = True

    def do_GET(self):
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        path = url.path
        if query.get("watch") in (["1"], ["true"]):
            return self.hold_watch(query)
        ns = Handler.ns
        if path == f"/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices":
            return self.send_json(200, listing("EndpointSliceList", "discovery.k8s.io/v1",
                                               [endpoint_slice(ns, Handler.service, Handler.pod)]))
        if path == f"/api/v1/namespaces/{ns}/services":
            return self.send_json(200, listing("ServiceList", "v1", [service_obj(ns, Handler.service)]))
        if path == f"/api/v1/namespaces/{ns}/pods":
            wanted = (query.get("fieldSelector") or [""])[0]
            pods = [pod_obj(ns, Handler.pod)] if wanted in ("", f"metadata.name={Handler.pod}") else []
            return self.send_json(200, listing("PodList", "v1", pods))
        if path == f"/api/v1/namespaces/{ns}/pods/{Handler.pod}":
            return self.send_json(200, pod_obj(ns, Handler.pod))
        self.send_json(404, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                             "message": f"the server could not find the requested resource ({path})",
                             "reason": "NotFound", "code": 404})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("portfile")
    parser.add_argument("--namespace", default="shop")
    parser.add_argument("--service", default="web")
    parser.add_argument("--pod", default="web-0")
    args = parser.parse_args()
    Handler.ns, Handler.service, Handler.pod = args.namespace, args.service, args.pod
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(args.portfile + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os
    os.replace(args.portfile + ".tmp", args.portfile)
    server.serve_forever()


if __name__ == "__main__":
    threading.current_thread().name = "kube-standin"
    main()
