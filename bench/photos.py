#!/usr/bin/env python3
"""Photo-like JPEGs for the image benchmark (and test fixtures): smooth
colour fields with fine grain and a few shapes, the mix of flat and busy
areas that news photographs have, so that encoders work as hard as on
real ones. The photos of a folder carry EXIF as a camera writes it (its
make and model, the time, a GPS position), which arshif removes from the
originals it publishes. Needs Pillow (bench/images.sh installs it into
bench/.venv).

    photos.py DIR COUNT [WIDTH HEIGHT]   # DIR/photo-0.jpg … photo-(COUNT-1).jpg
    photos.py --one FILE WIDTH HEIGHT SEED
"""

import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter


def photo(width, height, seed):
    rnd = random.Random(seed)
    small = (max(width // 8, 1), max(height // 8, 1))
    channels = []
    for _ in range(3):
        field = Image.effect_noise(small, rnd.uniform(40, 90)).filter(
            ImageFilter.GaussianBlur(rnd.uniform(6, 14))
        )
        channels.append(field.resize((width, height), Image.BICUBIC))
    img = Image.merge("RGB", channels)
    draw = ImageDraw.Draw(img)
    for _ in range(rnd.randint(4, 9)):
        x, y = rnd.randrange(width), rnd.randrange(height)
        r = rnd.randint(width // 20, width // 5)
        colour = tuple(rnd.randrange(256) for _ in range(3))
        if rnd.random() < 0.5:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        else:
            draw.rectangle((x - r, y - r // 2, x + r, y + r // 2), fill=colour)
    img = img.filter(ImageFilter.GaussianBlur(1.2))
    grain = Image.effect_noise((width, height), 18).convert("RGB")
    return Image.blend(img, grain, 0.12)


def camera_exif(seed):
    exif = Image.Exif()
    exif[0x010F] = "BenchCam"  # Make
    exif[0x0110] = f"Model {seed % 7}"  # Model
    exif[0x0132] = "2024:01:01 12:00:00"  # DateTime
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (30.0, 2.0, float(seed % 60))
    gps[3], gps[4] = "E", (31.0, 14.0, 0.0)
    return exif


def main(args):
    if args[0] == "--one":
        path, width, height, seed = args[1], int(args[2]), int(args[3]), int(args[4])
        photo(width, height, seed).save(path, quality=85)
        return
    out, count = Path(args[0]), int(args[1])
    width, height = (int(args[2]), int(args[3])) if len(args) > 3 else (2000, 1333)
    out.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        photo(width, height, i).save(out / f"photo-{i}.jpg", quality=85, exif=camera_exif(i))


if __name__ == "__main__":
    main(sys.argv[1:])
