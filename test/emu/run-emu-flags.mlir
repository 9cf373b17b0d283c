// The emulator's flags: machines by name or file, and one-line errors (exit 1) for an unknown
// machine, an invalid machine file (naming the file and the key), emu flags on another target.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/m.npy', np.arange(8, dtype=np.int64))"
// RUN: printf 'name = "tiny"\ncore_groups = 2\n[cost]\nscalar_ops = 3\n' > %t/tiny.toml
// RUN: printf '{"core_groups": 3, "launch_overhead_cycles": 0}' > %t/three.json
// RUN: printf 'core_groups = 2\ncores = 4\n' > %t/bad-key.toml
// RUN: printf 'core_groups = 2.5\n' > %t/bad-type.toml
// RUN: printf '[cost]\nloads = -1\n' > %t/bad-cost.toml
// RUN: printf 'core_groups = \n' > %t/bad-syntax.toml
// RUN: %pypto-run %s --target emu:%t/tiny.toml --entry twice --arg %t/m.npy 2>&1 | %FileCheck %s --check-prefix=TOML
// RUN: %pypto-run %s --target emu:%t/three.json --entry twice --arg %t/m.npy 2>&1 | %FileCheck %s --check-prefix=JSON
// RUN: %not %pypto-run %s --target emu:b9 --entry twice --arg %t/m.npy 2>&1 | %FileCheck %s --check-prefix=UNKNOWN
// RUN: %not %pypto-run %s --target emu: --entry twice --arg %t/m.npy 2>&1 | %FileCheck %s --check-prefix=EMPTY
// RUN: %not %pypto-run %s --target emu:%t/missing.toml --entry twice --arg %t/m.npy 2>&1 | %FileCheck %s --check-prefix=MISSING
// RUN: %not %pypto-run %s --target emu:%t/bad-key.toml --entry twice --arg %t/m.npy 2>&1 | %FileCheck %s --check-prefix=KEY
// RUN: %not %pypto-run %s --target emu:%t/bad-type.toml --entry twice --arg %t/m.npy 2>&1 | %FileCheck %s --check-prefix=TYPE
// RUN: %not %pypto-run %s --target emu:%t/bad-cost.toml --entry twice --arg %t/m.npy 2>&1 | %FileCheck %s --check-prefix=COST
// RUN: %not %pypto-run %s --target emu:%t/bad-syntax.toml --entry twice --arg %t/m.npy 2>&1 | %FileCheck %s --check-prefix=SYNTAX
// RUN: %not %pypto-run %s --entry twice --arg %t/m.npy --check-races 2>&1 | %FileCheck %s --check-prefix=RACES
// RUN: %not %pypto-run %s --entry twice --arg %t/m.npy --trace %t/t.json 2>&1 | %FileCheck %s --check-prefix=TRACE
// RUN: %not %pypto-run %s --entry twice --arg %t/m.npy --timeline %t/t.html 2>&1 | %FileCheck %s --check-prefix=TIMELINE-CPU
// RUN: %pypto-run %s --target emu --entry twice --arg %t/m.npy --timeline %t/t.html
// RUN: %FileCheck %s --check-prefix=PAGE --input-file %t/t.html
// RUN: %not %pypto-run %s --target emu --entry twice --arg %t/m.npy --report-json %t/no/such/dir/r.json 2>&1 | %FileCheck %s --check-prefix=WRITE

// TOML:      arg0 = [ 0,  2,  4,  6,  8, 10, 12, 14]
// TOML:      {{^}}emu tiny: 2 core groups (1 AIC + 2 AIV), 192 KiB on-chip memory each, 1.8 GHz
// TOML:      {{^}}    1 |{{.*}}| {{ *}}{{[0-9.]+}}%{{$}}
// JSON:      {{^}}emu three: 3 core groups
// UNKNOWN:   {{^}}pypto-run: error: unknown machine 'b9': use a2a3, a5 or a .toml or .json file{{$}}
// EMPTY:     {{^}}pypto-run: error: --target emu: expects a machine after the colon (a2a3, a5 or a .toml/.json file){{$}}
// MISSING:   {{^}}pypto-run: error: {{.*}}missing.toml: cannot read the machine file: no such file{{$}}
// KEY:       {{^}}pypto-run: error: {{.*}}bad-key.toml: unknown key 'cores' (known: base, name, core_groups, memory_bytes, clock_ghz, launch_overhead_cycles, cost){{$}}
// TYPE:      {{^}}pypto-run: error: {{.*}}bad-type.toml: key 'core_groups' must be an integer, got 2.5{{$}}
// COST:      {{^}}pypto-run: error: {{.*}}bad-cost.toml: key 'cost.loads' must be at least 0, got -1{{$}}
// SYNTAX:    {{^}}pypto-run: error: {{.*}}bad-syntax.toml: invalid TOML: {{.*}}{{$}}
// RACES:     {{^}}pypto-run: error: --check-races needs --target emu (the target is 'cpu'){{$}}
// TRACE:     {{^}}pypto-run: error: --trace needs --target emu (the target is 'cpu'){{$}}
// TIMELINE-CPU: {{^}}pypto-run: error: --timeline needs --target emu (the target is 'cpu'){{$}}
// PAGE:      {{^}}<title>emu a2a3: 2 tasks, regions</title>{{$}}
// PAGE:      <script type="application/json" id="data">{{.*}}"tasks":{{\[\[[^]]*\],\[[^]]*\]\]}},"host":
// WRITE:     {{^}}pypto-run: error: could not open --report-json file '{{.*}}r.json': no such file{{$}}

func.func @twice(%m: memref<?xi64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %m, %c0 : memref<?xi64>
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %m[%i] : memref<?xi64>
    %w = arith.addi %v, %v : i64
    memref.store %w, %m[%i] : memref<?xi64>
  } {pl.chunk = 4, pl.parallel}
  return
}
