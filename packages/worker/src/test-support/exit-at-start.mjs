// A worker script that exits as it starts (pool tests only): a pool must not restart it forever.
process.exit(1);
