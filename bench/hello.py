"""A bare Flask "hello" page with the same compression as Balai: the baseline for throughput.sh."""
from flask import Flask
from flask_compress import Compress


def create_app():
    app = Flask(__name__)
    app.config.update(COMPRESS_MIMETYPES=["text/html"], COMPRESS_ALGORITHM=["br", "gzip"],
                      COMPRESS_MIN_SIZE=256, MAX_CONTENT_LENGTH=1024 * 1024)
    Compress(app)

    @app.route("/")
    def hello():
        return "<!doctype html><title>Halo</title><p>" + "Halo, desa! " * 40 + "</p>"

    return app
