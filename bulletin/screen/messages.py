"""Problem codes of the lobby screen (SCREEN…), in Simplified Chinese. SCREEN001 (a notice's
period that cannot be read) is bulletin.notices'."""

from __future__ import annotations

from ..report import Message, Severity, register

MESSAGES = {
    "SCREEN002": Message(Severity.WARNING, "大屏要用的图片「{image}」没有生成，这张幻灯片已跳过。"
                                           "请先处理上面关于这张照片的提示，再重新构建。"),
    "SCREEN003": Message(Severity.WARNING, "大屏要用的图片「{image}」没有生成，幻灯片上不显示这张图片"
                                           "（相册总览少一张照片，或好人榜上这一位不显示照片）。"
                                           "请先处理上面关于这张照片的提示，再重新构建。"),
}
register(MESSAGES)
