"""Regenerate docs/report-heatmap.png: the heatmap section of a report (legend and the first
heatmap), captured in headless Chromium.

    .venv/bin/plangraf report && .venv/bin/python scripts/dev/report_screenshot.py build/report docs/report-heatmap.png

Add ``--greyscale`` to check that the heatmap reads without colour.
"""

from __future__ import annotations

import base64
import os
import shutil
import sys
from pathlib import Path


def capture(report: Path, out: Path, greyscale: bool = False) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not download anything
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1000,2400", "--hide-scrollbars"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    try:
        driver.get((report / "index.html").resolve().as_uri())
        if greyscale:
            driver.execute_script("document.documentElement.style.filter = 'grayscale(1)'")
        heading = driver.find_element(By.ID, "heatmaps")
        legend = driver.find_element(By.ID, "heat-legend")
        table = driver.find_element(By.CSS_SELECTOR, "table.heat[data-heatmap]")
        left, top = heading.location["x"] - 8, heading.location["y"] - 8
        right = max(legend.location["x"] + legend.size["width"], table.location["x"] + table.size["width"]) + 8
        bottom = table.location["y"] + table.size["height"] + 8
        clip = {"x": left, "y": top, "width": right - left, "height": bottom - top, "scale": 1}
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
        )
        out.write_bytes(base64.b64decode(shot["data"]))
    finally:
        driver.quit()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        sys.exit("usage: report_screenshot.py REPORT_DIR OUT.png [--greyscale]")
    capture(Path(args[0]), Path(args[1]), greyscale="--greyscale" in sys.argv)
