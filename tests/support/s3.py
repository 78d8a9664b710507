"""An S3 API server on 127.0.0.1 for the tests: moto's server mode, a real HTTP server that
boto3 talks to as it would to MinIO or a cloud bucket (nothing in boto3 is patched).

`python -m tests.support.s3 DIR` runs one in the foreground for a whole test pass (see
tests/services/s3.sh): it creates the bucket, writes the environment a test run needs to
DIR/s3.env and serves until it is stopped."""
import contextlib
import sys
import time
from pathlib import Path

BUCKET = "balai-uji"
REGION = "us-east-1"


def s3_environment(endpoint):
    """The standard AWS variables that point boto3 (and so the app) at the server."""
    return {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "uji",
            "AWS_SECRET_ACCESS_KEY": "uji-rahasia", "AWS_DEFAULT_REGION": REGION}


def client(endpoint):
    """A boto3 client of its own: what a test checks the bucket with, apart from the app."""
    import boto3
    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION,
                        aws_access_key_id="uji", aws_secret_access_key="uji-rahasia")


@contextlib.contextmanager
def s3_server(bucket=BUCKET):
    """Serve the S3 API on a free 127.0.0.1 port with an empty bucket; yields the endpoint."""
    from moto.server import ThreadedMotoServer
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        client(endpoint).create_bucket(Bucket=bucket)
        yield endpoint
    finally:
        server.stop()


def object_keys(endpoint, prefix, bucket=BUCKET):
    """The keys in the bucket under prefix, as the bucket lists them."""
    pages = client(endpoint).get_paginator("list_objects_v2").paginate(Bucket=bucket,
                                                                       Prefix=prefix)
    return {item["Key"] for page in pages for item in page.get("Contents", [])}


def serve(folder):
    with s3_server() as endpoint:
        env = {**s3_environment(endpoint), "BALAI_STORAGE_URL": f"s3://{BUCKET}/suite"}
        Path(folder, "s3.env").write_text("".join(f"export {k}={v}\n" for k, v in env.items()))
        print(endpoint, flush=True)
        while True:
            time.sleep(3600)


if __name__ == "__main__":
    serve(sys.argv[1])
