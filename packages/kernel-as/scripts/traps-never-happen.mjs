// An asc transform (scripts/build.mjs passes it to every target): in the release builds
// (noAssert) it tells Binaryen that no trap ever happens, so that the
// optimiser may drop a load whose value is unused. The op table's rules are
// written once and inlined into every sweep's loop; a rule that does not
// need an operand (d(a + b) = da + db needs neither a nor b) would otherwise
// still load it on every element, because an unused load may trap and so
// counts as a side effect. The kernel only loads from addresses inside the
// buffers the host allocated, and its release builds contain no trap of
// their own. The debug build keeps its traps (the setting is process-wide in
// Binaryen, so it is set for every target, not only turned on).
export default class TrapsNeverHappen {
  afterCompile() {
    const noAssert = this.program.options.noAssert;
    if (typeof noAssert !== 'boolean') throw new Error('traps-never-happen: cannot read the noAssert option');
    this.binaryen.setTrapsNeverHappen(noAssert);
  }
}
