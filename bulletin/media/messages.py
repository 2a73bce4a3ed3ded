"""Problem codes of the image pipeline (MEDIA…), in Simplified Chinese.

A bad photo is a warning, not an error: it is skipped and listed, the album builds without
it, and `--strict` makes it fatal. What the post-build scan finds in `site/` is an error:
publishing location data must stop the build.
"""

from __future__ import annotations

from ..report import Message, Severity, register

E, W = Severity.ERROR, Severity.WARNING

ALLOWED_LABEL = "JPEG、PNG、WebP、GIF、HEIC/HEIF、AVIF、TIFF、BMP"

MESSAGES: dict[str, Message] = {
    "MEDIA001": Message(W, "照片文件是空的（0 字节），已跳过。请从手机或相机重新导出这张照片，再放进相册文件夹。"),
    "MEDIA002": Message(W, "无法识别为图片（{detail}），已跳过。相册只接受照片（{allowed}）；"
                           "如果这是照片，请用看图软件打开后另存为 JPEG。"),
    "MEDIA003": Message(W, "照片文件不完整或已损坏（{detail}），已跳过，不会发布残缺的图片。"
                           "请从手机或相机重新拷贝原图。"),
    "MEDIA004": Message(W, "图片有 {pixels} 个像素，超过上限 {limit} 个像素，可能是恶意构造的“解压炸弹”，已跳过。"
                           "如果这确实是照片，请先缩小到 8000×8000 像素以内再放进来。"),
    "MEDIA005": Message(W, "这是 {format} 格式的文件，出于安全不处理，已跳过。相册只接受 {allowed}；"
                           "请另存为 JPEG 后再放进来。"),
    "MEDIA006": Message(W, "处理这张照片超过 {seconds} 秒仍未完成，已中止并跳过。文件可能已损坏，"
                           "请重新导出为普通 JPEG 后再试。"),
    "MEDIA007": Message(W, "处理这张照片时图片解码程序出错退出（{detail}），已跳过。文件可能已损坏或是特意构造的，"
                           "请重新导出为普通 JPEG 后再试。"),
    "MEDIA008": Message(W, "处理这张照片需要的内存超过上限（{limit}），已跳过。请先把照片缩小（例如长边 4000 像素）再放进来。"),
    "MEDIA009": Message(W, "无法读取照片：{detail}。请检查文件权限，或重新拷贝这张照片。"),
    "MEDIA010": Message(W, "构建过程中照片被修改了，这次已跳过。请等文件保存完毕后重新构建。"),
    # The post-build scan of site/.
    "MEDIA020": Message(E, "发布的图片仍带有{what}，构建被拒绝：网站上的图片不能泄露拍摄地点和设备信息。"
                           "请不要直接发布原图：相册照片放进 albums/ 下的相册文件夹，人物照片写在 portrait: 里，"
                           "由构建重新生成干净的图片；其他图片请先用修图软件去掉元数据再放进来。"),
    "MEDIA021": Message(E, "发布的图片与原图「{original}」逐字节相同，构建被拒绝：原图不能直接发布。"
                           "请把照片放进相册文件夹，由构建生成缩略图和网页尺寸的图片。"),
    "MEDIA022": Message(E, "网站里出现了 HEIC/HEIF 文件，构建被拒绝：苹果手机的原图不能发布（多数浏览器也打不开）。"
                           "请把它放进相册文件夹，由构建转换为网页图片。"),
}

register(MESSAGES)
