// Generates the TypeScript messages and service descriptors from ../../proto
// with protoc (Debian's protobuf-compiler) and @bufbuild/protoc-gen-es into
// src/gen (never committed).
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const web = join(dirname(fileURLToPath(import.meta.url)), "..");
const protoRoot = join(web, "..", "..", "proto");
const out = join(web, "src", "gen");
const files = readdirSync(join(protoRoot, "renkei", "v1"))
  .filter((f) => f.endsWith(".proto"))
  .map((f) => `renkei/v1/${f}`);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
execFileSync(
  "protoc",
  [
    `-I${protoRoot}`,
    "-I/usr/include",
    `--plugin=protoc-gen-es=${join(web, "node_modules", ".bin", "protoc-gen-es")}`,
    `--es_out=${out}`,
    "--es_opt=target=ts,import_extension=none",
    ...files,
  ],
  { stdio: "inherit", cwd: protoRoot },
);
console.log(`generated ${files.length} files into src/gen`);
