// Input of outline-kernels.mlir: its cases after pl-default{policy=leading_full} (the split with
// its markers, then canonicalize and cse), the IR pl-outline-kernels receives in that pipeline.
module {
  func.func @vadd(%arg0: memref<?xf32>, %arg1: memref<?xf32>, %arg2: index) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %0 = arith.cmpi sgt, %arg2, %c0 : index
    %1 = arith.select %0, %arg2, %c0 : index
    %2 = arith.divui %1, %c4 : index
    %3 = arith.remui %1, %c4 : index
    %4 = arith.muli %2, %c4 : index
    scf.for %arg3 = %c0 to %2 step %c1 {
      %5 = arith.muli %arg3, %c4 : index
      scf.for %arg4 = %c0 to %c4 step %c1 {
        %6 = arith.addi %5, %arg4 : index
        %7 = memref.load %arg0[%6] : memref<?xf32>
        %8 = memref.load %arg1[%6] : memref<?xf32>
        %9 = arith.addf %7, %8 : f32
        memref.store %9, %arg1[%6] : memref<?xf32>
      } {pl.loop_origin = "chunk_inner", pl.parallel}
    } {pl.loop_origin = "chunk_outer", pl.parallel}
    scf.execute_region no_inline {
      scf.for %arg3 = %c0 to %3 step %c1 {
        %5 = arith.addi %4, %arg3 : index
        %6 = memref.load %arg0[%5] : memref<?xf32>
        %7 = memref.load %arg1[%5] : memref<?xf32>
        %8 = arith.addf %6, %7 : f32
        memref.store %8, %arg1[%5] : memref<?xf32>
      } {pl.loop_origin = "chunk_remainder", pl.parallel}
      scf.yield
    } {pl.remainder}
    return
  }
}

// -----
module {
  func.func @two_sums(%arg0: memref<?xf32>, %arg1: index) -> (f32, i32) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %cst = arith.constant 0.000000e+00 : f32
    %c0_i32 = arith.constant 0 : i32
    %c1_i32 = arith.constant 1 : i32
    %c8 = arith.constant 8 : index
    %0 = arith.cmpi sgt, %arg1, %c0 : index
    %1 = arith.select %0, %arg1, %c0 : index
    %2 = arith.divui %1, %c8 : index
    %3 = arith.remui %1, %c8 : index
    %4 = arith.muli %2, %c8 : index
    %5:2 = scf.for %arg2 = %c0 to %2 step %c1 iter_args(%arg3 = %cst, %arg4 = %c0_i32) -> (f32, i32) {
      %7 = arith.muli %arg2, %c8 : index
      %8:2 = scf.for %arg5 = %c0 to %c8 step %c1 iter_args(%arg6 = %arg3, %arg7 = %arg4) -> (f32, i32) {
        %9 = arith.addi %7, %arg5 : index
        %10 = memref.load %arg0[%9] : memref<?xf32>
        %11 = arith.addf %arg6, %10 : f32
        %12 = arith.addi %arg7, %c1_i32 : i32
        scf.yield %11, %12 : f32, i32
      } {pl.loop_origin = "chunk_inner", pl.name_hint = "stage1", pl.parallel}
      scf.yield %8#0, %8#1 : f32, i32
    } {pl.loop_origin = "chunk_outer", pl.name_hint = "stage1", pl.parallel}
    %6:2 = scf.execute_region -> (f32, i32) no_inline {
      %7:2 = scf.for %arg2 = %c0 to %3 step %c1 iter_args(%arg3 = %5#0, %arg4 = %5#1) -> (f32, i32) {
        %8 = arith.addi %4, %arg2 : index
        %9 = memref.load %arg0[%8] : memref<?xf32>
        %10 = arith.addf %arg3, %9 : f32
        %11 = arith.addi %arg4, %c1_i32 : i32
        scf.yield %10, %11 : f32, i32
      } {pl.loop_origin = "chunk_remainder", pl.name_hint = "stage1", pl.parallel}
      scf.yield %7#0, %7#1 : f32, i32
    } {pl.name_hint = "stage1", pl.remainder}
    return %6#0, %6#1 : f32, i32
  }
}

// -----
module {
  func.func @short(%arg0: memref<3xf32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c3 = arith.constant 3 : index
    scf.execute_region no_inline {
      scf.for %arg1 = %c0 to %c3 step %c1 {
        %0 = memref.load %arg0[%arg1] : memref<3xf32>
        %1 = arith.addf %0, %0 : f32
        memref.store %1, %arg0[%arg1] : memref<3xf32>
      } {pl.loop_origin = "chunk_remainder", pl.parallel}
      scf.yield
    } {pl.remainder}
    return
  }
}

// -----
module {
  func.func @sequential(%arg0: memref<?xf32>, %arg1: index) -> f32 {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %cst = arith.constant 0.000000e+00 : f32
    %c4 = arith.constant 4 : index
    %0 = arith.cmpi sgt, %arg1, %c0 : index
    %1 = arith.select %0, %arg1, %c0 : index
    %2 = arith.divui %1, %c4 : index
    %3 = arith.remui %1, %c4 : index
    %4 = arith.muli %2, %c4 : index
    %5 = scf.for %arg2 = %c0 to %2 step %c1 iter_args(%arg3 = %cst) -> (f32) {
      %7 = arith.muli %arg2, %c4 : index
      %8 = scf.for %arg4 = %c0 to %c4 step %c1 iter_args(%arg5 = %arg3) -> (f32) {
        %9 = arith.addi %7, %arg4 : index
        %10 = memref.load %arg0[%9] : memref<?xf32>
        %11 = arith.addf %arg5, %10 : f32
        scf.yield %11 : f32
      } {pl.loop_origin = "chunk_inner"}
      scf.yield %8 : f32
    } {pl.loop_origin = "chunk_outer"}
    %6 = scf.execute_region -> f32 no_inline {
      %7 = scf.for %arg2 = %c0 to %3 step %c1 iter_args(%arg3 = %5) -> (f32) {
        %8 = arith.addi %4, %arg2 : index
        %9 = memref.load %arg0[%8] : memref<?xf32>
        %10 = arith.addf %arg3, %9 : f32
        scf.yield %10 : f32
      } {pl.loop_origin = "chunk_remainder"}
      scf.yield %7 : f32
    } {pl.remainder}
    return %6 : f32
  }
}

// -----
module {
  func.func @scope(%arg0: memref<?xf32>, %arg1: index) -> f32 {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %cst = arith.constant 0.000000e+00 : f32
    %0 = scf.for %arg2 = %c0 to %arg1 step %c1 iter_args(%arg3 = %cst) -> (f32) {
      %1 = scf.execute_region -> f32 no_inline {
        %2 = memref.load %arg0[%arg2] : memref<?xf32>
        %3 = arith.addf %arg3, %2 : f32
        scf.yield %3 : f32
      } {pl.at = "core_group"}
      scf.yield %1 : f32
    }
    return %0 : f32
  }
}

// -----
module {
  func.func @rows(%arg0: memref<?x?xf32>, %arg1: index, %arg2: index) {
    %c16 = arith.constant 16 : index
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    scf.for %arg3 = %c0 to %arg1 step %c1 {
      scf.for %arg4 = %c0 to %arg2 step %c1 {
        %0 = memref.load %arg0[%arg3, %arg4] : memref<?x?xf32>
        %1 = arith.mulf %0, %0 : f32
        memref.store %1, %arg0[%arg3, %arg4] : memref<?x?xf32>
      }
    } {pl.parallel}
    scf.for %arg3 = %c0 to %arg1 step %c1 {
      %0 = arith.cmpi sgt, %arg2, %c0 : index
      %1 = arith.select %0, %arg2, %c0 : index
      %2 = arith.divui %1, %c16 : index
      %3 = arith.remui %1, %c16 : index
      %4 = arith.muli %2, %c16 : index
      scf.for %arg4 = %c0 to %2 step %c1 {
        %5 = arith.muli %arg4, %c16 : index
        scf.for %arg5 = %c0 to %c16 step %c1 {
          %6 = arith.addi %5, %arg5 : index
          %7 = memref.load %arg0[%arg3, %6] : memref<?x?xf32>
          %8 = arith.addf %7, %7 : f32
          memref.store %8, %arg0[%arg3, %6] : memref<?x?xf32>
        } {pl.loop_origin = "chunk_inner", pl.parallel}
      } {pl.loop_origin = "chunk_outer", pl.parallel}
      scf.execute_region no_inline {
        scf.for %arg4 = %c0 to %3 step %c1 {
          %5 = arith.addi %4, %arg4 : index
          %6 = memref.load %arg0[%arg3, %5] : memref<?x?xf32>
          %7 = arith.addf %6, %6 : f32
          memref.store %7, %arg0[%arg3, %5] : memref<?x?xf32>
        } {pl.loop_origin = "chunk_remainder", pl.parallel}
        scf.yield
      } {pl.remainder}
    } {pl.parallel}
    return
  }
}

// -----
module {
  func.func @outer_k0() {
    return
  }
  func.func @outer(%arg0: memref<?xf32>, %arg1: index) {
    %c4 = arith.constant 4 : index
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    scf.execute_region no_inline {
      %0 = arith.cmpi sgt, %arg1, %c0 : index
      %1 = arith.select %0, %arg1, %c0 : index
      %2 = arith.divui %1, %c4 : index
      %3 = arith.remui %1, %c4 : index
      %4 = arith.muli %2, %c4 : index
      scf.for %arg2 = %c0 to %2 step %c1 {
        %5 = arith.muli %arg2, %c4 : index
        scf.for %arg3 = %c0 to %c4 step %c1 {
          %6 = arith.addi %5, %arg3 : index
          %7 = memref.load %arg0[%6] : memref<?xf32>
          memref.store %7, %arg0[%6] : memref<?xf32>
        } {pl.loop_origin = "chunk_inner", pl.parallel}
      } {pl.loop_origin = "chunk_outer", pl.parallel}
      scf.execute_region no_inline {
        scf.for %arg2 = %c0 to %3 step %c1 {
          %5 = arith.addi %4, %arg2 : index
          %6 = memref.load %arg0[%5] : memref<?xf32>
          memref.store %6, %arg0[%5] : memref<?xf32>
        } {pl.loop_origin = "chunk_remainder", pl.parallel}
        scf.yield
      } {pl.remainder}
      scf.yield
    } {pl.at = "core_group"}
    return
  }
}

