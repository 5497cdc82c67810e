#!/usr/bin/env python3
"""Streams a long 16 kHz mono WAV through Noted's chunk API (README, "chunk API") at SPEED x
real time in 5-second pcm16 chunks, printing how far transcription-while-recording keeps up,
then finishes it and reports the time from the last chunk to the transcript and to the draft.
Writes the transcript's text to streamed.txt.

usage: stream_bench.py BASE_URL TOKEN FILE.wav SPEED
  e.g. `noted serve --bind 127.0.0.1:18734 --threads 2` with a user and
  `noted user token --email ...`; FILE.wav: 16 kHz mono 16-bit (sox ... -r 16000 -c 1 -b 16)."""
import json, sys, time, wave, urllib.request

base, token, wav, speed = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])

def call(method, path, body=None, ctype="application/json"):
    data = body if isinstance(body, (bytes, bytearray)) or body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Authorization": "Bearer " + token, "Content-Type": ctype})
    with urllib.request.urlopen(req, timeout=600) as r:
        return r.status, json.loads(r.read() or b"null")

_, c = call("POST", "/api/v1/clients", {"full_name": "Bench Client", "date_of_birth": "1980-01-01"})
_, s = call("POST", "/api/v1/recordings", {"client_id": c["id"], "format": "pcm16", "sample_rate": 16000})
rid = s["recording"]["id"]
w = wave.open(wav); assert w.getframerate() == 16000 and w.getnchannels() == 1
frames = w.getnframes(); total = frames / 16000
print(f"recording {rid}: {total:.0f} s of audio at {speed}x real time", flush=True)
t0 = time.time(); seq = 0; sent = 0.0
while True:
    data = w.readframes(5 * 16000)
    if not data: break
    st, a = call("PUT", f"/api/v1/recordings/{rid}/chunks/{seq}", data, "application/octet-stream")
    assert st == 200, (st, a)
    seq += 1; sent += len(data) / 32000
    lag = sent / speed - (time.time() - t0)
    if lag > 0: time.sleep(lag)
    if seq % 60 == 0:
        _, p = call("GET", f"/api/v1/recordings/{rid}/chunks")
        print(f"  {sent:.0f} s sent, transcribed {p['transcribed_seconds']:.0f} s, wall {time.time()-t0:.0f} s", flush=True)
t_last = time.time()
_, p = call("GET", f"/api/v1/recordings/{rid}/chunks")
print(f"last chunk after {t_last-t0:.0f} s; transcribed so far {p['transcribed_seconds']:.0f} s of {total:.0f}", flush=True)
_, f = call("POST", f"/api/v1/recordings/{rid}/finish", {"chunks": seq})
job = f["job_id"]
while True:
    _, j = call("GET", f"/api/v1/jobs/{job}")
    if j["state"] not in ("queued", "running"): break
    time.sleep(0.5)
t_tr = time.time()
print(f"transcript: {j['state']} {t_tr - t_last:.1f} s after the last chunk ({j.get('result')})", flush=True)
draft = (j.get("result") or {}).get("draft_job_id")
if draft:
    while True:
        _, d = call("GET", f"/api/v1/jobs/{draft}")
        if d["state"] not in ("queued", "running"): break
        time.sleep(1)
    print(f"draft: {d['state']} {time.time() - t_last:.1f} s after the last chunk", flush=True)
_, t = call("GET", f"/api/v1/transcripts/{j['result']['transcript_id']}")
open("streamed.txt", "w").write(" ".join(s["text"] for s in t["segments"]))
