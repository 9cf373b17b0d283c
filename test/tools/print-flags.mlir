// Printing flags, diffed with mlir-opt: --mlir-elide-elementsattrs-if-larger (in the output and
// in IR dumps), --mlir-print-local-scope.
// RUN: %pypto-opt %s --mlir-elide-elementsattrs-if-larger=2 > %t.ours
// RUN: %mlir-opt %s --mlir-elide-elementsattrs-if-larger=2 > %t.upstream
// RUN: diff %t.ours %t.upstream
// RUN: %pypto-opt %s --mlir-elide-elementsattrs-if-larger=2 | %FileCheck %s
// CHECK: dense_resource<__elided__> : tensor<4xi32>
// CHECK: dense<[1, 2]> : tensor<2xi32>
// RUN: %pypto-opt %s --cse --mlir-print-ir-after-all --mlir-elide-elementsattrs-if-larger=2 2>%t.ours >/dev/null
// RUN: %mlir-opt %s --cse --mlir-print-ir-after-all --mlir-elide-elementsattrs-if-larger=2 2>%t.upstream >/dev/null
// RUN: diff %t.ours %t.upstream
// RUN: %pypto-opt %s --mlir-print-local-scope > %t.ours
// RUN: %mlir-opt %s --mlir-print-local-scope > %t.upstream
// RUN: diff %t.ours %t.upstream

#map = affine_map<(d0) -> (d0 * 2)>
func.func @consts() -> (tensor<4xi32>, tensor<2xi32>, index) {
  %a = arith.constant dense<[1, 2, 3, 4]> : tensor<4xi32>
  %b = arith.constant dense<[1, 2]> : tensor<2xi32>
  %c3 = arith.constant 3 : index
  %m = affine.apply #map(%c3)
  return %a, %b, %m : tensor<4xi32>, tensor<2xi32>, index
}
