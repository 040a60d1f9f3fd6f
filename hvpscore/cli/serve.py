"""``hvpscore serve``: the web service (JSON API + page) over the same library functions."""

from __future__ import annotations

import click

from hvpscore.cli._common import lang_option

__all__ = ["serve"]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface) / 监听地址")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port / 端口")
@click.option("--model", "model_dir", default=None, type=click.Path(file_okay=False),
              help="Scoring model directory for POST /score (default: the shipped model)")
@click.option("--draft-model", "draft_model_dir", default=None,
              type=click.Path(file_okay=False),
              help="Draft-stage model for POST /check (default: the shipped default-draft)")
@click.option("--policy", default=None, help="Policy id or YAML file (default cnipa-2021)")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes (each loads the model once) / 进程数")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Threads per process doing the CPU-bound work")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
              help="Allow browser pages of this origin to call the API (repeat; default: CORS "
                   "off)")
@click.option("--max-body-mb", default=32.0, show_default=True, type=click.FloatRange(0.001),
              help="Largest request body, MiB / 请求体上限")
@click.option("--max-claims-chars", default=200_000, show_default=True,
              type=click.IntRange(1), help="Longest claims text of one draft, characters")
@click.option("--max-batch-rows", default=50_000, show_default=True, type=click.IntRange(1),
              help="Most records in one POST /score")
@click.option("--timeout", "timeout_s", default=30.0, show_default=True,
              type=click.FloatRange(0.001), help="Seconds of work per request / 单次请求时限")
@click.option("--docs/--no-docs", default=True, show_default=True,
              help="Serve the OpenAPI page at /docs (local assets; /openapi.json always)")
@click.option("--index", "index_dir", default=None, type=click.Path(file_okay=False),
              help="Screening index (hvpscore screen INPUT --build-index DIR): /check compares "
                   "each draft with the stock. 查重索引：评审时与存量申请比对。")
@lang_option
def serve(host, port, model_dir, draft_model_dir, policy, workers, threads, cors_origins,
          max_body_mb, max_claims_chars, max_batch_rows, timeout_s, docs, index_dir, lang):
    """Serve the JSON API and the review page: POST /check, POST /score, GET /health,
    GET /version, the page at /, OpenAPI docs at /docs.

    启动服务：申请前置评审页面与接口。设置 HVPSCORE_API_TOKEN 后，接口需要
    Authorization: Bearer <令牌>。每个请求在标准错误输出写一行 JSON 访问日志。
    """
    from hvpscore.service import ServiceSettings, create_app, run

    settings = ServiceSettings(
        model=model_dir, draft_model=draft_model_dir, policy=policy,
        cors_origins=tuple(cors_origins), max_body_bytes=int(max_body_mb * 1024 * 1024),
        max_claims_chars=max_claims_chars, max_batch_rows=max_batch_rows,
        timeout_s=timeout_s, threads=threads, docs=docs,
        index=index_dir).with_env_token().validate()
    # build once here: a bad model or policy fails now, in one line, before the port opens
    app = create_app(settings)
    eng = app.state.engine
    token = settings.token is not None
    if lang == "zh":
        click.echo(f"hvpscore 服务：http://{host}:{port}/（评分模型 {eng.model.version}，草稿模型 "
                   f"{eng.draft_model.version}，政策 {eng.policy.id}，访问令牌"
                   f"{'已启用' if token else '未启用'}，进程 {workers}）；Ctrl+C 停止", err=True)
    else:
        click.echo(f"hvpscore serve: http://{host}:{port}/ (model {eng.model.version}, draft "
                   f"model {eng.draft_model.version}, policy {eng.policy.id}, token "
                   f"{'required' if token else 'off'}, workers {workers}); Ctrl+C stops",
                   err=True)
    run(settings, host=host, port=port, workers=workers, app=app if workers == 1 else None)
