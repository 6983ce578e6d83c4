"""The baseline of ``bench/api.py``: a bare FastAPI POST with the same pydantic body as
``POST /results`` (validated, then answered), on the same server settings."""

from fastapi import FastAPI

from clusterexcellence.api.results.schemas import ResultCreate


def create_bare_app() -> FastAPI:
    app = FastAPI()

    @app.post("/bare", status_code=201)
    def bare(body: ResultCreate) -> dict:  # sync, in the thread pool, like POST /results
        return {"learner_id": body.learner_id, "answers": len(body.answers)}

    return app
