/**
 * Preloaded into a bench app (`--require dist/bench/cpu-profile.js`) when BENCH_CPU_PROFILE names a
 * directory: the first SIGWINCH (Nest's shutdown hooks take SIGUSR2) starts V8's CPU profiler, the second writes the profile of the
 * window between them there (open it in Chrome DevTools or speedscope). Node's own --cpu-prof writes
 * only at a normal exit, which Nest's shutdown hooks (they end by re-sending the signal) never reach,
 * and would profile the start-up and the index load as well.
 */
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const directory = process.env.BENCH_CPU_PROFILE;
if (directory) {
  const session = new Session();
  session.connect();
  let profiling = false;
  process.on('SIGWINCH', () => {
    if (!profiling) {
      profiling = true;
      session.post('Profiler.enable', () => session.post('Profiler.start'));
      return;
    }
    profiling = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) return process.stderr.write(`cpu profile: ${error.message}\n`);
      writeFileSync(join(directory, `${appName()}-${process.pid}-${Date.now()}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}

/** The app's name from its entry point (dist/apps/<name>/src/main.js). */
function appName(): string {
  return basename(dirname(dirname(process.argv[1] ?? 'app/src/main.js')));
}
