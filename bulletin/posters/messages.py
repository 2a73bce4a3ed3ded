"""The posters' messages (Chinese, keyed by code)."""

from __future__ import annotations

from ..report import Message, Severity, register

E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTICE

MESSAGES: dict[str, Message] = {
    "POSTER001": Message(W, "找不到海报用的字体「{family}」，本次没有生成海报（网站照常发布）。"
                            "请安装思源字体：Debian/Ubuntu 上运行 apt-get install fonts-noto-cjk。"),
    "POSTER002": Message(W, "mkdocs.yml 里没有写网站地址（site_url），海报上印不了二维码。"
                            "请写上网站的地址，例如 site_url: https://wenming.example.org/"),
    "POSTER003": Message(W, "海报「{name}」没有生成：{detail}。其他海报照常生成；请把这条消息转给维护人员。"),
    "POSTER004": Message(E, "海报「{name}」的文字里有疑似{what}（{masked}），这张海报没有生成。"
                            "请从这一页删去这个号码。"),
}
register(MESSAGES)
