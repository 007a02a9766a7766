// Entries kept on the phone (IndexedDB) until the server has stored them, and after, so the
// day's list and receipts work offline. States: waiting (not yet stored), photo (stored, its
// certificate photo not yet), sent, refused (the server said why; the agent must act).
// Trips are kept the same way in their own store (waiting, sent, refused, discarded).
const DB_NAME = "farmtrace-village";
const STORE = "entries";
const TRIPS = "trips";
// Version 2 added the trips; a phone holding version 1 keeps its entries.
const DB_VERSION = 2;

function opened() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      for (const name of [STORE, TRIPS]) {
        if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, { keyPath: "id" });
      }
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

async function put(store, value) {
  const db = await opened();
  const transaction = db.transaction(store, "readwrite");
  transaction.objectStore(store).put(value);
  await done(transaction);
  db.close();
}

async function all(store) {
  const db = await opened();
  const request = db.transaction(store).objectStore(store).getAll();
  const found = await new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  db.close();
  return found;
}

export function putEntry(entry) {
  return put(STORE, entry);
}

// Newest first.
export async function allEntries() {
  const found = await all(STORE);
  return found.sort((a, b) => (a.body.recorded_at < b.body.recorded_at ? 1 : -1));
}

export function putTrip(trip) {
  return put(TRIPS, trip);
}

// Newest first.
export async function allTrips() {
  const found = await all(TRIPS);
  return found.sort((a, b) => (a.body.departed_at < b.body.departed_at ? 1 : -1));
}
