// A phone caller played by LiveKit's official client (@livekit/rtc-node):
//   node caller.mjs <room url> <token> <wav to say> <file to record what it hears into (PCM16 16 kHz mono)>
// It joins, publishes a microphone track and records every audio track it is given. On stdin, "speak" says the
// WAV (in real time, 20 ms frames) and "hangup" writes the recording and leaves. Events go to stdout as JSON lines.
import {
  AudioFrame, AudioSource, AudioStream, LocalAudioTrack, Room, RoomEvent, TrackKind, TrackPublishOptions, TrackSource,
} from '@livekit/rtc-node';
import { readFileSync, writeFileSync } from 'node:fs';
import readline from 'node:readline';

const [url, token, wavPath, outPath] = process.argv.slice(2);
const RATE = 16000;
const emit = (event, extra = {}) => console.log(JSON.stringify({ event, ...extra }));

function readWav(path) {
  const b = readFileSync(path);
  if (b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${path} is not a WAV`);
  let rate = 0;
  for (let at = 12; at + 8 <= b.length;) {
    const id = b.toString('ascii', at, at + 4);
    const size = b.readUInt32LE(at + 4);
    if (id === 'fmt ') {
      if (b.readUInt16LE(at + 8) !== 1 || b.readUInt16LE(at + 10) !== 1 || b.readUInt16LE(at + 22) !== 16) throw new Error('not PCM16 mono');
      rate = b.readUInt32LE(at + 12);
    } else if (id === 'data') {
      const pcm = new Int16Array(size / 2);
      for (let i = 0; i < pcm.length; i++) pcm[i] = b.readInt16LE(at + 8 + 2 * i);
      return { rate, pcm };
    }
    at += 8 + size + (size % 2);
  }
  throw new Error('no data chunk');
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const heard = [];
const room = new Room();
room.on(RoomEvent.ParticipantConnected, (p) => emit('participant', { identity: p.identity }));
room.on(RoomEvent.ParticipantDisconnected, (p) => emit('participant_left', { identity: p.identity }));
room.on(RoomEvent.Disconnected, (reason) => emit('disconnected', { reason: String(reason) }));
room.on(RoomEvent.TrackSubscribed, async (track, publication, participant) => {
  if (track.kind !== TrackKind.KIND_AUDIO) return;
  emit('subscribed', { identity: participant.identity, track: publication.sid });
  for await (const frame of new AudioStream(track, RATE, 1)) {
    heard.push(Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength));
  }
});

await room.connect(url, token, { autoSubscribe: true, dynacast: false });
emit('joined', { sid: room.localParticipant.sid });
const wav = readWav(wavPath);
const source = new AudioSource(wav.rate, 1);
const track = LocalAudioTrack.createAudioTrack('mic', source);
await room.localParticipant.publishTrack(track, new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }));
emit('published');

async function speak() {
  const frame = wav.rate / 50;
  const start = Date.now();
  for (let i = 0, n = 0; i < wav.pcm.length; i += frame, n++) {
    const chunk = new Int16Array(frame);
    chunk.set(wav.pcm.subarray(i, Math.min(i + frame, wav.pcm.length)));
    await source.captureFrame(new AudioFrame(chunk, wav.rate, 1, frame));
    const wait = start + (n + 1) * 20 - Date.now();
    if (wait > 0) await sleep(wait);
  }
}

for await (const line of readline.createInterface({ input: process.stdin })) {
  if (line === 'speak') {
    await speak();
    emit('spoke');
  } else if (line === 'hangup') {
    break;
  }
}
const recording = Buffer.concat(heard);
writeFileSync(outPath, recording);
await room.disconnect();
emit('hungup', { bytes: recording.length });
process.exit(0);
