// Computes the reference speech probabilities the tests compare against, independently of the
// Java code: onnxruntime-web (WebAssembly) with the framing of @ricky0123/vad-web's Silero v5
// class (a zeroed state, each window prefixed with the previous window's last window/8 samples).
//
//   npm install --ignore-scripts onnxruntime-web@1.22.0
//   node silero-reference.mjs <silero_vad_v5.onnx> <mono PCM16 WAV, 8 or 16 kHz> > out.probabilities
import * as ort from 'onnxruntime-web';
import { readFileSync } from 'node:fs';

ort.env.wasm.numThreads = 1;
const [modelPath, wavPath] = process.argv.slice(2);
const wav = readFileSync(wavPath);
const rate = wav.readInt32LE(24);
const samples = (wav.length - 44) / 2;
const window = rate === 16000 ? 512 : 256;
const contextLength = window / 8;
const session = await ort.InferenceSession.create(readFileSync(modelPath).buffer.slice(0));
const sr = new ort.Tensor('int64', [BigInt(rate)]);
let state = new ort.Tensor('float32', new Float32Array(256), [2, 1, 128]);
let context = new Float32Array(contextLength);
for (let at = 0; at + window <= samples; at += window) {
  const x = new Float32Array(contextLength + window);
  x.set(context, 0);
  for (let i = 0; i < window; i++) {
    x[contextLength + i] = wav.readInt16LE(44 + 2 * (at + i)) / 32768;
  }
  context = x.slice(-contextLength);
  const result = await session.run({ input: new ort.Tensor('float32', x, [1, x.length]), state, sr });
  state = result.stateN;
  console.log(result.output.data[0].toFixed(6));
}
