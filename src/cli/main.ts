/**
 * `cftunnel`: the checks of the editor, for CI. Commands:
 *   cftunnel check [--format text|json|github|sarif] [--fail-on S] [--max-warnings N] PATH...
 *                                                  exit 0 (passes), 1 (fails by severity, cli/report.ts), 2 (usage/read error)
 *   cftunnel match CONFIG URL                      which ingress rule serves URL (0-based, as cloudflared)
 *   cftunnel trace URL [PATH...] [--format text|json]  where URL goes through the ingress controller (cli/trace.ts)
 */
import { lstatSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { analyzeText, withCrossFile } from '../core/analyze';
import { applyEdits, preferredFixes } from '../core/edits';
import { editsWithEol } from '../core/text';
import { Workspace } from '../core/workspace/workspace';
import { matchConfigText } from '../core/config/match';
import { linkRefusal, writeFileAtomic, WriteRefusedError } from '../node/atomicWrite';
import { writeFixFiles } from '../node/fixFiles';
import type { FixFilesDone } from '../node/fixFiles';
import { fsReader, readFiles } from './files';
import { ignoredByProject } from '../core/project/config';
import type { ProjectConfig } from '../core/project/config';
import { projectReport } from '../core/project/report';
import { DEFAULT_WORKSPACE_SETTINGS } from '../core/settings';
import { ProjectConfigs } from '../node/projectConfig';
import type { CliOutput } from './files';
import { githubAnnotation, sarifLog, verdict } from './report';
import type { FailOn } from './report';
import { runScaffold } from './scaffold';
import { runTrace, TraceUsageError } from './trace';
import type { Diagnostic, FileToWrite } from '../core/types';
import pkg from '../../package.json';

const USAGE = `Usage:
  cftunnel check [--format text|json|github|sarif] [--fail-on error|warning|info] [--max-warnings N] [--fix] PATH...
                                                 Check cloudflared configs and manifests (files or folders);
                                                 exit 1 when a problem at --fail-on or above (default error)
                                                 is found, or more than N warnings; --fix applies each
                                                 problem's preferred quick fix in place
  cftunnel match CONFIG URL                      Show which ingress rule of CONFIG serves URL
  cftunnel trace URL [PATH...] [--format text|json]
                                                 Follow URL through the tunnel rules and the ingress controller's
                                                 routes in PATH (default .); exit 0 served, 1 not, 2 bad input
  cftunnel scaffold DIR --mode token|local --tunnel-id ID [...]  Write a kustomize folder running cloudflared (scaffold --help)
  cftunnel --help | --version`;

class UsageError extends Error {}

type Output = CliOutput;

function formatText(path: string, d: Diagnostic): string {
  return `${path}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`;
}

const FORMATS = ['text', 'json', 'github', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

export function runCheck(args: string[], io: Output): number {
  let format: Format = 'text';
  let fix = false;
  let failOn: FailOn = 'error';
  let maxWarnings: number | undefined;
  const paths: string[] = [];
  /** `--name value` or `--name=value`. */
  const value = (a: string, name: string, i: number): [string, number] | undefined => {
    if (a === name) return [args[i + 1] ?? '', i + 1];
    if (a.startsWith(`${name}=`)) return [a.slice(name.length + 1), i];
    return undefined;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    let v: [string, number] | undefined;
    if ((v = value(a, '--format', i))) {
      if (!(FORMATS as readonly string[]).includes(v[0]))
        throw new UsageError(`--format must be ${FORMATS.join(', ')}, not '${v[0]}'`);
      format = v[0] as Format;
      i = v[1];
    } else if ((v = value(a, '--fail-on', i))) {
      if (v[0] !== 'error' && v[0] !== 'warning' && v[0] !== 'info')
        throw new UsageError(`--fail-on must be error, warning or info, not '${v[0]}'`);
      failOn = v[0];
      i = v[1];
    } else if ((v = value(a, '--max-warnings', i))) {
      if (!/^\d+$/.test(v[0])) throw new UsageError(`--max-warnings needs a count (0 or more), not '${v[0]}'`);
      maxWarnings = Number(v[0]);
      i = v[1];
    } else if (a === '--fix') {
      fix = true;
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option '${a}'`);
    } else {
      paths.push(a);
    }
  }
  if (paths.length === 0) throw new UsageError('check needs at least one file or folder');

  const results: Array<{ path: string; diagnostics: Diagnostic[] }> = [];
  const texts = new Map<string, string>();
  // `.cftunnel.yaml`: the nearest above each file (rules, ignore); the cluster domain from the one above the first path.
  const projects = new ProjectConfigs();
  const workspace = new Workspace(fsReader());
  const clusterDomain = projects.forFolder(folderOf(paths[0]!)).clusterDomain;
  if (clusterDomain) workspace.configure({ ...DEFAULT_WORKSPACE_SETTINGS, clusterDomain });
  let ignored = 0;
  const files = readFiles(
    paths,
    io,
    (file, absolute, original) => {
      const text = fix ? fixFile(file, original, io, rootOf(file, paths), projects.forFile(absolute)) : original;
      workspace.update(absolute, text);
      texts.set(file, text);
      results.push({ path: file, diagnostics: analyzeText(text, file).diagnostics });
    },
    (absolute) => {
      const skip = ignoredByProject(absolute, projects.forFile(absolute));
      if (skip) ignored++;
      return !skip;
    },
  );
  if (!files) return 2;
  // Cross-file checks once every file is indexed: the same findings the editor shows, then the
  // file's suppression comments and the project's rules.
  for (const r of results) {
    const absolute = resolve(r.path);
    const found = withCrossFile(r.diagnostics, workspace.diagnostics(absolute));
    r.diagnostics = projectReport(absolute, texts.get(r.path)!, found, projects.forFile(absolute)).map(
      ({ code, severity, message, range }) => ({ code, severity, message, range }),
    );
  }
  // A broken `.cftunnel.yaml` above the checked files is said too (one among them already was).
  const checked = new Set(results.map((r) => resolve(r.path)));
  for (const config of new Set(results.map((r) => projects.forFile(r.path)))) {
    if (config.path && !checked.has(config.path) && config.problems.length > 0)
      results.push({ path: relative(process.cwd(), config.path) || config.path, diagnostics: config.problems });
  }

  const result = verdict(
    results.flatMap((r) => r.diagnostics),
    failOn,
    maxWarnings,
  );
  if (format === 'json') {
    io.out(JSON.stringify({ version: 1, files: results }));
  } else if (format === 'sarif') {
    const shown = results.map((r) => ({ ...r, path: relative(process.cwd(), r.path) || r.path }));
    io.out(JSON.stringify(sarifLog(shown, pkg.version)));
  } else {
    for (const r of results) {
      const shown = relative(process.cwd(), r.path) || r.path;
      for (const d of r.diagnostics) io.out(format === 'github' ? githubAnnotation(shown, d) : formatText(shown, d));
    }
    const limit =
      maxWarnings !== undefined && result.warnings > maxWarnings ? ` (more than --max-warnings ${maxWarnings})` : '';
    io.out(
      `${files.length} file(s) checked${ignored ? ` (${ignored} ignored by .cftunnel.yaml)` : ''}: ${result.errors} error(s), ${result.warnings} warning(s)${limit}, ${result.infos} information`,
    );
  }
  return result.failed ? 1 : 0;
}

/**
 * Applies preferred fixes until none is left (fixes whose edits overlap wait for the next pass),
 * creates the files fixes ask for (never overwriting) and git-ignores secrets, then writes the file.
 */
function fixFile(file: string, original: string, io: Output, root: string, project: ProjectConfig): string {
  let text = original;
  const applied: string[] = [];
  const files: FileToWrite[] = [];
  for (let pass = 0; pass < 10; pass++) {
    // What the file reports: a suppressed or turned-off finding is not fixed either.
    const reported = projectReport(resolve(file), text, analyzeText(text, file).diagnostics, project, {
      reportUnused: false,
    });
    const fixes = preferredFixes(reported, text);
    if (fixes.length === 0) break;
    // The file's own line breaks (CRLF, CR) in what the fixes insert; a BOM stays where it is.
    text = applyEdits(
      text,
      editsWithEol(
        fixes.flatMap((f) => f.edits),
        original,
      ),
    );
    for (const f of fixes) {
      applied.push(f.title);
      files.push(...(f.files ?? []));
    }
  }
  if (text === original) return text;
  // All or nothing: the side files first (a secret is never taken out of the file unless it was
  // saved beside it), then the file itself, atomically; never through a symbolic link.
  let done: FixFilesDone | undefined;
  try {
    if (lstatSync(file).isSymbolicLink()) throw new WriteRefusedError(linkRefusal(file));
    done = writeFixFiles(dirname(file), files, root);
    writeFileAtomic(file, text, { within: root });
  } catch (e) {
    done?.undo();
    io.err(`${file}: not fixed, nothing was changed: ${(e as Error).message}`);
    return original;
  }
  for (const t of applied) io.err(`${file}: fixed: ${t}`);
  for (const line of done.report) io.err(line);
  return text;
}

/** A path given on the command line as a folder: itself, or the folder of the file. */
function folderOf(path: string): string {
  try {
    return statSync(path).isDirectory() ? path : dirname(path);
  } catch {
    return dirname(path);
  }
}

/** The checked root a file was found under: the folder given, or the folder of the file given. */
function rootOf(file: string, paths: readonly string[]): string {
  for (const p of paths) {
    if (resolve(p) === resolve(file)) return dirname(resolve(p));
    const rel = relative(resolve(p), resolve(file));
    if (!rel.startsWith('..') && !isAbsolute(rel)) return resolve(p);
  }
  return dirname(resolve(file));
}

export function runMatch(args: string[], io: Output): number {
  if (args.length !== 2) throw new UsageError('match needs a CONFIG file and a URL');
  const [configPath, url] = args as [string, string];
  let text: string;
  try {
    text = readFileSync(configPath, 'utf8');
  } catch (e) {
    io.err(`cftunnel: cannot read ${configPath}: ${(e as Error).message}`);
    return 2;
  }
  const result = matchConfigText(text, url);
  if (!result.ok) {
    io.err(result.error);
    return 1;
  }
  const { ok: _ok, ...rest } = result;
  io.out(
    JSON.stringify({
      rule: rest.rule,
      hostname: rest.hostname ?? null,
      path: rest.path ?? null,
      service: rest.service,
    }),
  );
  return 0;
}

export function main(argv: string[], io: Output): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return runCheck(rest, io);
      case 'match':
        return runMatch(rest, io);
      case 'scaffold':
        return runScaffold(rest, io);
      case 'trace':
        return runTrace(rest, io);
      case '--help':
      case '-h':
      case 'help':
        io.out(USAGE);
        return 0;
      case '--version':
        io.out(pkg.version);
        return 0;
      default:
        throw new UsageError(command ? `unknown command '${command}'` : 'missing command');
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof TraceUsageError) {
      io.err(`cftunnel: ${e.message}\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  // `cftunnel trace … | head`: a closed pipe ends the output quietly, as other command-line tools do.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  process.exitCode = main(process.argv.slice(2), {
    out: (t) => process.stdout.write(t + '\n'),
    err: (t) => process.stderr.write(t + '\n'),
  });
}
