"""A Python client generated from proto/ at run time, checking the contract from another language.

Usage: check_client.py PROTO_DIR ADDRESS
Prints one line per check and exits non-zero on the first failure.
"""
import importlib
import sys
import tempfile

import grpc
from grpc_tools import protoc


def generate(proto_dir: str, out_dir: str) -> None:
    proto = "bookstore/recommendations/v1/recommendations.proto"
    code = protoc.main(["protoc", f"-I{proto_dir}", f"--python_out={out_dir}", f"--grpc_python_out={out_dir}", proto])
    if code != 0:
        raise SystemExit(f"protoc failed with {code}")


def main() -> None:
    proto_dir, address = sys.argv[1], sys.argv[2]
    out_dir = tempfile.mkdtemp(prefix="bookstore-py-")
    generate(proto_dir, out_dir)
    sys.path.insert(0, out_dir)
    pb = importlib.import_module("bookstore.recommendations.v1.recommendations_pb2")
    rpc = importlib.import_module("bookstore.recommendations.v1.recommendations_pb2_grpc")

    with grpc.insecure_channel(address) as channel:
        stub = rpc.RecommendationServiceStub(channel)
        response = stub.Recommend(
            pb.RecommendRequest(user_id=1, category=pb.BOOK_CATEGORY_MYSTERY, max_results=3), timeout=5
        )
        titles = [r.title for r in response.recommendations]
        assert len(titles) == 3 and len(set(titles)) == 3, titles
        print(f"ok Recommend MYSTERY max 3 -> {titles}")

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
    print("python client: all checks passed")


if __name__ == "__main__":
    main()
