// Waits (up to 30 s) until the egov server at argv[2] answers /readyz with 200.
const base = process.argv[2];
const deadline = Date.now() + 30000;
while (Date.now() < deadline) {
  try {
    const r = await fetch(`${base}/readyz`);
    if (r.status === 200) process.exit(0);
  } catch {
    /* not listening yet */
  }
  await new Promise((res) => setTimeout(res, 100));
}
process.exit(1);
