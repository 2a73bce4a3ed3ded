"""Problem codes of the lobby screen (SCREEN…), in Simplified Chinese."""

from __future__ import annotations

from ..report import Message, Severity, register

MESSAGES = {
    "SCREEN001": Message(Severity.WARNING, "通知的显示日期「{value}」看不懂，这条通知将一直显示。"
                                           "请写成「2026-11-25 至 2026-11-30：通知内容」，"
                                           "或只写「至 2026-11-30：」「2026-11-25 起：」。"),
    "SCREEN002": Message(Severity.WARNING, "大屏要用的图片「{image}」没有生成，这张幻灯片已跳过。"
                                           "请先处理上面关于这张照片的提示，再重新构建。"),
    "SCREEN003": Message(Severity.WARNING, "大屏要用的图片「{image}」没有生成，幻灯片上不显示这张图片"
                                           "（相册总览少一张照片，或好人榜上这一位不显示照片）。"
                                           "请先处理上面关于这张照片的提示，再重新构建。"),
}
register(MESSAGES)
