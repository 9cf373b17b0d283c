// Input of outline-kernels.mlir: its cases after pl-default (split, unswitch, canonicalize, cse),
// the IR pl-outline-kernels receives in that pipeline.
module {
  func.func @vadd(%arg0: memref<?xf32>, %arg1: memref<?xf32>, %arg2: index) {
    %c3 = arith.constant 3 : index
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %0 = arith.cmpi sgt, %arg2, %c0 : index
    %1 = arith.select %0, %arg2, %c0 : index
    %2 = arith.ceildivui %1, %c4 : index
    scf.for %arg3 = %c0 to %2 step %c1 {
      %3 = arith.muli %arg3, %c4 : index
      %4 = arith.addi %3, %c3 : index
      %5 = arith.cmpi ult, %4, %1 : index
      scf.if %5 {
        scf.for %arg4 = %c0 to %c4 step %c1 {
          %6 = arith.addi %3, %arg4 : index
          %7 = memref.load %arg0[%6] : memref<?xf32>
          %8 = memref.load %arg1[%6] : memref<?xf32>
          %9 = arith.addf %7, %8 : f32
          memref.store %9, %arg1[%6] : memref<?xf32>
        } {pl.loop_origin = "chunk_inner", pl.parallel}
      } else {
        scf.for %arg4 = %c0 to %c4 step %c1 {
          %6 = arith.addi %3, %arg4 : index
          %7 = arith.cmpi ult, %6, %1 : index
          scf.if %7 {
            %8 = memref.load %arg0[%6] : memref<?xf32>
            %9 = memref.load %arg1[%6] : memref<?xf32>
            %10 = arith.addf %8, %9 : f32
            memref.store %10, %arg1[%6] : memref<?xf32>
          }
        } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel, pl.unswitched}
      }
    } {pl.loop_origin = "chunk_outer", pl.parallel}
    return
  }
}

// -----
module {
  func.func @two_sums(%arg0: memref<?xf32>, %arg1: index) -> (f32, i32) {
    %c7 = arith.constant 7 : index
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %cst = arith.constant 0.000000e+00 : f32
    %c0_i32 = arith.constant 0 : i32
    %c1_i32 = arith.constant 1 : i32
    %c8 = arith.constant 8 : index
    %0 = arith.cmpi sgt, %arg1, %c0 : index
    %1 = arith.select %0, %arg1, %c0 : index
    %2 = arith.ceildivui %1, %c8 : index
    %3:2 = scf.for %arg2 = %c0 to %2 step %c1 iter_args(%arg3 = %cst, %arg4 = %c0_i32) -> (f32, i32) {
      %4 = arith.muli %arg2, %c8 : index
      %5 = arith.addi %4, %c7 : index
      %6 = arith.cmpi ult, %5, %1 : index
      %7:2 = scf.if %6 -> (f32, i32) {
        %8:2 = scf.for %arg5 = %c0 to %c8 step %c1 iter_args(%arg6 = %arg3, %arg7 = %arg4) -> (f32, i32) {
          %9 = arith.addi %4, %arg5 : index
          %10 = memref.load %arg0[%9] : memref<?xf32>
          %11 = arith.addf %arg6, %10 : f32
          %12 = arith.addi %arg7, %c1_i32 : i32
          scf.yield %11, %12 : f32, i32
        } {pl.loop_origin = "chunk_inner", pl.name_hint = "stage1", pl.parallel}
        scf.yield %8#0, %8#1 : f32, i32
      } else {
        %8:2 = scf.for %arg5 = %c0 to %c8 step %c1 iter_args(%arg6 = %arg3, %arg7 = %arg4) -> (f32, i32) {
          %9 = arith.addi %4, %arg5 : index
          %10 = arith.cmpi ult, %9, %1 : index
          %11:2 = scf.if %10 -> (f32, i32) {
            %12 = memref.load %arg0[%9] : memref<?xf32>
            %13 = arith.addf %arg6, %12 : f32
            %14 = arith.addi %arg7, %c1_i32 : i32
            scf.yield %13, %14 : f32, i32
          } else {
            scf.yield %arg6, %arg7 : f32, i32
          }
          scf.yield %11#0, %11#1 : f32, i32
        } {pl.guarded, pl.loop_origin = "chunk_inner", pl.name_hint = "stage1", pl.parallel, pl.unswitched}
        scf.yield %8#0, %8#1 : f32, i32
      }
      scf.yield %7#0, %7#1 : f32, i32
    } {pl.loop_origin = "chunk_outer", pl.name_hint = "stage1", pl.parallel}
    return %3#0, %3#1 : f32, i32
  }
}

// -----
module {
  func.func @short(%arg0: memref<3xf32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c3 = arith.constant 3 : index
    %c8 = arith.constant 8 : index
    scf.for %arg1 = %c0 to %c8 step %c1 {
      %0 = arith.cmpi ult, %arg1, %c3 : index
      scf.if %0 {
        %1 = memref.load %arg0[%arg1] : memref<3xf32>
        %2 = arith.addf %1, %1 : f32
        memref.store %2, %arg0[%arg1] : memref<3xf32>
      }
    } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel}
    return
  }
}

// -----
module {
  func.func @sequential(%arg0: memref<?xf32>, %arg1: index) -> f32 {
    %c3 = arith.constant 3 : index
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %cst = arith.constant 0.000000e+00 : f32
    %c4 = arith.constant 4 : index
    %0 = arith.cmpi sgt, %arg1, %c0 : index
    %1 = arith.select %0, %arg1, %c0 : index
    %2 = arith.ceildivui %1, %c4 : index
    %3 = scf.for %arg2 = %c0 to %2 step %c1 iter_args(%arg3 = %cst) -> (f32) {
      %4 = arith.muli %arg2, %c4 : index
      %5 = arith.addi %4, %c3 : index
      %6 = arith.cmpi ult, %5, %1 : index
      %7 = scf.if %6 -> (f32) {
        %8 = scf.for %arg4 = %c0 to %c4 step %c1 iter_args(%arg5 = %arg3) -> (f32) {
          %9 = arith.addi %4, %arg4 : index
          %10 = memref.load %arg0[%9] : memref<?xf32>
          %11 = arith.addf %arg5, %10 : f32
          scf.yield %11 : f32
        } {pl.loop_origin = "chunk_inner"}
        scf.yield %8 : f32
      } else {
        %8 = scf.for %arg4 = %c0 to %c4 step %c1 iter_args(%arg5 = %arg3) -> (f32) {
          %9 = arith.addi %4, %arg4 : index
          %10 = arith.cmpi ult, %9, %1 : index
          %11 = scf.if %10 -> (f32) {
            %12 = memref.load %arg0[%9] : memref<?xf32>
            %13 = arith.addf %arg5, %12 : f32
            scf.yield %13 : f32
          } else {
            scf.yield %arg5 : f32
          }
          scf.yield %11 : f32
        } {pl.guarded, pl.loop_origin = "chunk_inner", pl.unswitched}
        scf.yield %8 : f32
      }
      scf.yield %7 : f32
    } {pl.loop_origin = "chunk_outer"}
    return %3 : f32
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
    %c15 = arith.constant 15 : index
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
      %2 = arith.ceildivui %1, %c16 : index
      scf.for %arg4 = %c0 to %2 step %c1 {
        %3 = arith.muli %arg4, %c16 : index
        %4 = arith.addi %3, %c15 : index
        %5 = arith.cmpi ult, %4, %1 : index
        scf.if %5 {
          scf.for %arg5 = %c0 to %c16 step %c1 {
            %6 = arith.addi %3, %arg5 : index
            %7 = memref.load %arg0[%arg3, %6] : memref<?x?xf32>
            %8 = arith.addf %7, %7 : f32
            memref.store %8, %arg0[%arg3, %6] : memref<?x?xf32>
          } {pl.loop_origin = "chunk_inner", pl.parallel}
        } else {
          scf.for %arg5 = %c0 to %c16 step %c1 {
            %6 = arith.addi %3, %arg5 : index
            %7 = arith.cmpi ult, %6, %1 : index
            scf.if %7 {
              %8 = memref.load %arg0[%arg3, %6] : memref<?x?xf32>
              %9 = arith.addf %8, %8 : f32
              memref.store %9, %arg0[%arg3, %6] : memref<?x?xf32>
            }
          } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel, pl.unswitched}
        }
      } {pl.loop_origin = "chunk_outer", pl.parallel}
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
    %c3 = arith.constant 3 : index
    %c4 = arith.constant 4 : index
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    scf.execute_region no_inline {
      %0 = arith.cmpi sgt, %arg1, %c0 : index
      %1 = arith.select %0, %arg1, %c0 : index
      %2 = arith.ceildivui %1, %c4 : index
      scf.for %arg2 = %c0 to %2 step %c1 {
        %3 = arith.muli %arg2, %c4 : index
        %4 = arith.addi %3, %c3 : index
        %5 = arith.cmpi ult, %4, %1 : index
        scf.if %5 {
          scf.for %arg3 = %c0 to %c4 step %c1 {
            %6 = arith.addi %3, %arg3 : index
            %7 = memref.load %arg0[%6] : memref<?xf32>
            memref.store %7, %arg0[%6] : memref<?xf32>
          } {pl.loop_origin = "chunk_inner", pl.parallel}
        } else {
          scf.for %arg3 = %c0 to %c4 step %c1 {
            %6 = arith.addi %3, %arg3 : index
            %7 = arith.cmpi ult, %6, %1 : index
            scf.if %7 {
              %8 = memref.load %arg0[%6] : memref<?xf32>
              memref.store %8, %arg0[%6] : memref<?xf32>
            }
          } {pl.guarded, pl.loop_origin = "chunk_inner", pl.parallel, pl.unswitched}
        }
      } {pl.loop_origin = "chunk_outer", pl.parallel}
      scf.yield
    } {pl.at = "core_group"}
    return
  }
}

