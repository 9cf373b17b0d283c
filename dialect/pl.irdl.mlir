// The `pl` dialect of pypto-mlir.
//
// Its vocabulary is discardable attributes on upstream ops (`pl.chunk`, `pl.chunk_policy`,
// `pl.parallel`, `pl.loop_origin`, `pl.name_hint`, `pl.at`, `pl.kernel`; see docs/dialect.md),
// so upstream passes keep working on our IR. IRDL cannot constrain discardable attributes: this
// definition registers the `pl` namespace in a Context (so upstream
// `mlir-opt --irdl-file=<this file>` accepts our output), and the project's own verifier
// (`pl-verify`) checks the attributes.
irdl.dialect @pl {
}
