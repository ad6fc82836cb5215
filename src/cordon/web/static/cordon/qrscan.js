// Scan a QR code with the phone camera or from a photo, for every scanning page (checkpoint, compound gate,
// sampler, quarantine site). BarcodeDetector where the browser has it, else the vendored jsQR
// (static/vendor/jsqr/jsQR.js, load it first) on canvas frames; photos always go through jsQR.
//
// Markup (no inline script):
//   <button type="button" data-scan-camera data-scan-target="#code">Camera</button>
//   <input type="file" accept="image/*" capture="environment" data-scan-file data-scan-target="#code">
// The decoded text is written into the target input and a bubbling "cordon:scanned" event (detail.text) is
// fired on it; a photo without a readable code fires "cordon:scan-failed". Manual entry into the target
// input stays the fallback.
(function (root) {
  "use strict";

  function decodeImageData(img) {
    if (!root.jsQR) return null;
    const hit = root.jsQR(img.data, img.width, img.height, { inversionAttempts: "attemptBoth" });
    return hit ? hit.data : null;
  }

  function pixels(source, width, height, canvas) {
    canvas = canvas || document.createElement("canvas");
    canvas.width = width; canvas.height = height;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(source, 0, 0, width, height);
    return ctx.getImageData(0, 0, width, height);
  }

  async function decodeFile(file) {
    const bitmap = await createImageBitmap(file);
    // Large phone photos: scale down to at most 1600 px on the long side (jsQR is quadratic in pixels).
    const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
    const w = Math.max(1, Math.round(bitmap.width * scale)), h = Math.max(1, Math.round(bitmap.height * scale));
    return decodeImageData(pixels(bitmap, w, h));
  }

  function deliver(target, text) {
    target.value = text;
    target.dispatchEvent(new CustomEvent("cordon:scanned", { bubbles: true, detail: { text: text } }));
  }

  let active = null; // {stream, video, button}

  function stop() {
    if (!active) return;
    active.stream.getTracks().forEach((t) => t.stop());
    active.video.remove();
    active.button.setAttribute("aria-pressed", "false");
    active = null;
  }

  async function start(button, target) {
    stop();
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    const video = document.createElement("video");
    video.className = "scan-video";
    video.setAttribute("playsinline", "");
    video.muted = true;
    video.srcObject = stream;
    button.insertAdjacentElement("afterend", video);
    button.setAttribute("aria-pressed", "true");
    active = { stream: stream, video: video, button: button };
    await video.play();
    const detector = ("BarcodeDetector" in root) ? new root.BarcodeDetector({ formats: ["qr_code"] }) : null;
    const canvas = document.createElement("canvas");
    const mine = active;
    const tick = async () => {
      if (active !== mine) return;
      let text = null;
      if (video.readyState >= 2 && video.videoWidth) {
        if (detector) {
          const codes = await detector.detect(video).catch(() => []);
          if (codes.length) text = codes[0].rawValue;
        }
        if (!text) text = decodeImageData(pixels(video, video.videoWidth, video.videoHeight, canvas));
      }
      if (text) { stop(); deliver(target, text); return; }
      setTimeout(tick, 120);
    };
    tick();
  }

  function targetOf(el) { return document.querySelector(el.dataset.scanTarget); }

  function wire() {
    document.querySelectorAll("[data-scan-camera]").forEach((button) => {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { button.hidden = true; return; }
      button.addEventListener("click", () => {
        if (active && active.button === button) { stop(); return; }
        start(button, targetOf(button)).catch((e) => {
          stop();
          targetOf(button).dispatchEvent(new CustomEvent("cordon:scan-failed", { bubbles: true, detail: { error: String(e) } }));
        });
      });
    });
    document.querySelectorAll("[data-scan-file]").forEach((input) => {
      input.addEventListener("change", async () => {
        const file = input.files && input.files[0];
        if (!file) return;
        const target = targetOf(input);
        let text = null;
        try { text = await decodeFile(file); } catch (e) { text = null; }
        input.value = "";
        if (text) deliver(target, text);
        else target.dispatchEvent(new CustomEvent("cordon:scan-failed", { bubbles: true, detail: { error: "no code" } }));
      });
    });
  }

  root.CordonScan = { decodeImageData: decodeImageData, decodeFile: decodeFile, start: start, stop: stop };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})(window);
