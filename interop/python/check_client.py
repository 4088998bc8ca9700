"""A Python client generated from proto/ at run time, checking the contract from another language.

Usage: check_client.py PROTO_DIR ADDRESS [HEALTH_PROTO_DIR REFLECTION_PROTO_DIR METRICS_URL]
With the optional arguments it also checks the operational surface: health, reflection,
request-id echo, the receive size limit and the Prometheus counters.
Prints one line per check and exits non-zero on the first failure.
With TLS_CA_FILE (and TLS_CERT_FILE, TLS_KEY_FILE for mutual TLS) in the environment it dials
over TLS, presenting that client certificate.
"""
import importlib
import os
import shutil
import sys
import tempfile
import urllib.request

import grpc
from grpc_tools import protoc


# The well-known types (google/protobuf/timestamp.proto) ship inside grpc_tools; protoc.main does
# not add them to the include path by itself.
WELL_KNOWN_PROTOS = os.path.join(os.path.dirname(protoc.__file__), "_proto")


def generate(proto_dir: str, out_dir: str, proto: str = "bookstore/recommendations/v1/recommendations.proto") -> None:
    includes = [f"-I{proto_dir}", f"-I{WELL_KNOWN_PROTOS}"]
    code = protoc.main(["protoc", *includes, f"--python_out={out_dir}", f"--grpc_python_out={out_dir}", proto])
    if code != 0:
        raise SystemExit(f"protoc failed with {code}")


def check_operations(channel, out_dir: str, health_dir: str, reflection_dir: str, metrics_url: str) -> None:
    generate(health_dir, out_dir, "health/v1/health.proto")
    # Under its own path: a top-level "grpc" package here would shadow grpcio's.
    scratch = os.path.join(out_dir, "protos")
    os.makedirs(os.path.join(scratch, "reflection_v1"))
    shutil.copy(os.path.join(reflection_dir, "grpc/reflection/v1/reflection.proto"), os.path.join(scratch, "reflection_v1"))
    generate(scratch, out_dir, "reflection_v1/reflection.proto")
    health_pb = importlib.import_module("health.v1.health_pb2")
    health_rpc = importlib.import_module("health.v1.health_pb2_grpc")
    reflection_pb = importlib.import_module("reflection_v1.reflection_pb2")
    reflection_rpc = importlib.import_module("reflection_v1.reflection_pb2_grpc")
    pb = importlib.import_module("bookstore.recommendations.v1.recommendations_pb2")
    rpc = importlib.import_module("bookstore.recommendations.v1.recommendations_pb2_grpc")

    health = health_rpc.HealthStub(channel)
    for name in ["", "liveness", "readiness"]:
        status = health.Check(health_pb.HealthCheckRequest(service=name), timeout=5).status
        assert status == health_pb.HealthCheckResponse.SERVING, (name, status)
    print("ok health '', liveness, readiness -> SERVING")

    reflection = reflection_rpc.ServerReflectionStub(channel)
    answers = reflection.ServerReflectionInfo(iter([reflection_pb.ServerReflectionRequest(list_services="")]), timeout=5)
    names = [s.name for s in next(answers).list_services_response.service]
    assert "bookstore.recommendations.v1.RecommendationService" in names, names
    print(f"ok reflection lists {names}")

    stub = rpc.RecommendationServiceStub(channel)
    request = pb.RecommendRequest(user_id=1, category=pb.BOOK_CATEGORY_MYSTERY, max_results=1)
    _, call = stub.Recommend.with_call(request, metadata=[("x-request-id", "python-42")], timeout=5)
    echoed = dict(call.initial_metadata()).get("x-request-id")
    assert echoed == "python-42", echoed
    print("ok x-request-id echoed")

    raw = channel.unary_unary("/bookstore.recommendations.v1.RecommendationService/Recommend")
    big = request.SerializeToString() + b"\x7a\x80\x80\x40" + bytes(1024 * 1024)
    try:
        raw(big, timeout=5)
    except grpc.RpcError as error:
        assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, error.code()
        print("ok 1 MiB request -> RESOURCE_EXHAUSTED")
    else:
        raise AssertionError("expected RESOURCE_EXHAUSTED for a 1 MiB request")

    text = urllib.request.urlopen(metrics_url, timeout=5).read().decode()
    lines = [line for line in text.splitlines() if line.startswith("grpc_server_handled_total{")]
    codes = {code for code in ["OK", "InvalidArgument", "NotFound", "ResourceExhausted"] if any(f'grpc_code="{code}"' in line for line in lines)}
    assert codes == {"OK", "InvalidArgument", "NotFound", "ResourceExhausted"}, lines
    print(f"ok grpc_server_handled_total counts codes {sorted(codes)}")


def open_channel(address: str):
    ca_file = os.environ.get("TLS_CA_FILE")
    if not ca_file:
        return grpc.insecure_channel(address)

    def read(name: str):
        path = os.environ.get(name)
        return open(path, "rb").read() if path else None

    credentials = grpc.ssl_channel_credentials(read("TLS_CA_FILE"), read("TLS_KEY_FILE"), read("TLS_CERT_FILE"))
    return grpc.secure_channel(address, credentials)


def check_import(stub, pb, token: str) -> None:
    """ImportEvents (client streaming) with the operator token as call metadata, then GetBook."""
    def events():
        for i in range(3):
            yield pb.ImportEventsRequest(
                event=pb.ReaderEvent(event_id=f"py-{i}", user_id=77, book_id=1 + i, kind=pb.READER_EVENT_KIND_VIEWED)
            )
        yield pb.ImportEventsRequest(event=pb.ReaderEvent(event_id="py-bad", user_id=77, book_id=99,
                                                          kind=pb.READER_EVENT_KIND_VIEWED))

    try:
        stub.ImportEvents(events(), timeout=5)
    except grpc.RpcError as error:
        assert error.code() == grpc.StatusCode.UNAUTHENTICATED, error.code()
        print("ok ImportEvents without a token -> UNAUTHENTICATED")
    else:
        raise AssertionError("ImportEvents without a token was accepted")
    answer = stub.ImportEvents(events(), timeout=5, metadata=[("authorization", f"Bearer {token}")])
    assert (answer.accepted, answer.duplicates, answer.rejected_count) == (3, 0, 1), answer
    assert answer.rejected[0].index == 3 and answer.rejected[0].reason == "unknown book 99", answer
    print("ok ImportEvents with the token -> 3 accepted, 1 rejected (index 3, unknown book 99)")
    book = stub.GetBook(pb.GetBookRequest(book_id=1), timeout=5)
    assert book.book.id == 1, book
    try:
        stub.GetBook(pb.GetBookRequest(book_id=9999), timeout=5)
    except grpc.RpcError as error:
        assert error.code() == grpc.StatusCode.NOT_FOUND, error.code()
        print(f"ok GetBook 1 -> {book.book.title!r}; 9999 -> NOT_FOUND")
    else:
        raise AssertionError("GetBook 9999 was answered")


def main() -> None:
    proto_dir, address = sys.argv[1], sys.argv[2]
    out_dir = tempfile.mkdtemp(prefix="bookstore-py-")
    generate(proto_dir, out_dir)
    sys.path.insert(0, out_dir)
    pb = importlib.import_module("bookstore.recommendations.v1.recommendations_pb2")
    rpc = importlib.import_module("bookstore.recommendations.v1.recommendations_pb2_grpc")

    with open_channel(address) as channel:
        stub = rpc.RecommendationServiceStub(channel)
        response = stub.Recommend(
            pb.RecommendRequest(user_id=1, category=pb.BOOK_CATEGORY_MYSTERY, max_results=3), timeout=5
        )
        titles = [r.title for r in response.recommendations]
        assert len(titles) == 3 and len(set(titles)) == 3, titles
        print(f"ok Recommend MYSTERY max 3 -> {titles}")

        # A client that never sets user_id (proto3's 0): an anonymous reader, as in the first release.
        anonymous = stub.Recommend(pb.RecommendRequest(category=pb.BOOK_CATEGORY_MYSTERY), timeout=5)
        assert len(anonymous.recommendations) == 3, anonymous
        print("ok Recommend without user_id -> 3 books (anonymous)")

        books = list(stub.ListBooks(pb.ListBooksRequest(), timeout=5))
        ids = [m.book.id for m in books]
        assert ids == sorted(ids) and len(ids) >= 18, ids
        print(f"ok ListBooks -> {len(ids)} books in id order")

        cases = [
            (pb.RecommendRequest(user_id=1, category=pb.BOOK_CATEGORY_UNSPECIFIED, max_results=1),
             grpc.StatusCode.INVALID_ARGUMENT, "category is required"),
            (pb.RecommendRequest(user_id=1, category=pb.BOOK_CATEGORY_MYSTERY, max_results=-1),
             grpc.StatusCode.INVALID_ARGUMENT, "max_results must be >= 0 (got -1)"),
            (pb.RecommendRequest(user_id=-1, category=pb.BOOK_CATEGORY_MYSTERY, max_results=1),
             grpc.StatusCode.INVALID_ARGUMENT, "user_id must be >= 0 (got -1)"),
            (pb.RecommendRequest(user_id=1, category=99, max_results=1),
             grpc.StatusCode.NOT_FOUND, "no books in category 99"),
        ]
        for request, code, details in cases:
            try:
                stub.Recommend(request, timeout=5)
            except grpc.RpcError as error:
                assert error.code() == code, (error.code(), code)
                assert error.details() == details, error.details()
                print(f"ok {code.name}: {details}")
            else:
                raise AssertionError(f"expected {code.name} for {request}")
        token = os.environ.get("IMPORT_TOKEN")
        if token:
            check_import(stub, pb, token)
        if len(sys.argv) > 3:
            check_operations(channel, out_dir, sys.argv[3], sys.argv[4], sys.argv[5])
    print("python client: all checks passed")


if __name__ == "__main__":
    main()
