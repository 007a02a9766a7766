// Entries kept on the phone (IndexedDB) until the server has stored them, and after, so the
// day's list and receipts work offline. States: waiting (not yet stored), photo (stored, its
// certificate photo not yet), sent, refused (the server said why; the agent must act).
const DB_NAME = "farmtrace-village";
const STORE = "entries";

function opened() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(STORE, { keyPath: "id" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

export async function putEntry(entry) {
  const db = await opened();
  const transaction = db.transaction(STORE, "readwrite");
  transaction.objectStore(STORE).put(entry);
  await done(transaction);
  db.close();
}

export async function allEntries() {
  const db = await opened();
  const request = db.transaction(STORE).objectStore(STORE).getAll();
  const found = await new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  db.close();
  return found.sort((a, b) => (a.body.recorded_at < b.body.recorded_at ? 1 : -1));
}
