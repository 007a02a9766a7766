// Sending gathered deliveries to the centre: a station's agent (or a point's, for its own)
// picks the deliveries on no trip yet and records the trip. Like a delivery, the trip is
// kept on the phone first (IndexedDB) and sent when the network returns; its id, made here,
// makes a resend store nothing.
import { allEntries, allTrips, putTrip } from "./entries.js";

// The server's list as last loaded, so a trip can be made up offline too.
const CANDIDATES_KEY = "farmtrace-village-trip-candidates";
export const TRIP_WORDS = {
  waiting: "待发送 waiting to send",
  sent: "已发车 sent",
  refused: "被拒绝 refused",
  discarded: "已放弃 discarded",
};

function serverLabel(delivery) {
  return `${delivery.harvest_lot_code} · ${delivery.farmer_name} · `
    + `${delivery.village_point_name} · ${delivery.product_name_zh} · `
    + `${delivery.quantity} ${delivery.unit}`;
}

function item(candidate) {
  const line = document.createElement("li");
  const label = document.createElement("label");
  label.className = "inline-choice";
  const box = document.createElement("input");
  box.type = "checkbox";
  box.name = "delivery";
  box.value = candidate.id;
  box.checked = true;
  const words = document.createElement("span");
  words.textContent = candidate.words;
  label.append(box, words);
  line.append(label);
  return line;
}

async function serverCandidates() {
  try {
    const response = await fetch("/api/v1/deliveries?waiting=true&on_trip=false", {
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(String(response.status));
    const found = (await response.json()).map((one) => ({ id: one.id, words: serverLabel(one) }));
    localStorage.setItem(CANDIDATES_KEY, JSON.stringify(found));
    return { found, fresh: true };
  } catch {
    return { found: JSON.parse(localStorage.getItem(CANDIDATES_KEY) || "[]"), fresh: false };
  }
}

// The server's (or the last loaded) list, this phone's own deliveries not yet known to be on
// a trip, less those a trip kept on this phone carries already.
async function candidates(label) {
  const { found, fresh } = await serverCandidates();
  const carried = new Set();
  for (const trip of await allTrips()) {
    if (trip.state !== "discarded") for (const id of trip.body.deliveries) carried.add(id);
  }
  const seen = new Set(found.map((one) => one.id));
  const mine = (await allEntries()).filter((entry) => !seen.has(entry.id)
    && (entry.state === "waiting" || entry.state === "photo"
      || (!fresh && entry.state === "sent" && !(entry.stored && entry.stored.trip))));
  return {
    list: [...found, ...mine.map((entry) => ({ id: entry.id, words: label(entry) }))]
      .filter((one) => !carried.has(one.id)),
    fresh,
  };
}

export function tripWords(trip) {
  const vehicle = trip.body.vehicle ? ` · ${trip.body.vehicle}` : "";
  const code = trip.stored ? `${trip.stored.code} · ` : "";
  return `${code}运输 trip · ${trip.body.deliveries.length} 笔 deliveries${vehicle} `;
}

// The latest trip's outcome under the form: its code once the server stored it.
export async function showLatestTrip() {
  const result = document.getElementById("trip-result");
  const [latest] = (await allTrips()).filter((trip) => trip.state !== "discarded");
  if (!latest) return;
  if (latest.state === "sent") {
    result.textContent = `已发车，运输单号 ${latest.stored.code}（${latest.stored.deliveries.length} 笔）`
      + ` Sent: trip ${latest.stored.code}`;
    result.dataset.trip = latest.stored.code;
    return;
  }
  delete result.dataset.trip;
  if (latest.state === "waiting") {
    result.textContent = "运输已保存在手机上，待发送，有网络时自动发送。Trip kept on this phone, waiting to send when the network returns.";
  } else {
    result.textContent = latest.problem;
  }
}

export function setUpTrips({ label, saved }) {
  const form = document.getElementById("trip-form");
  const result = document.getElementById("trip-result");
  const list = document.getElementById("trip-deliveries");

  document.getElementById("trip-load").addEventListener("click", async () => {
    result.textContent = "";
    const { list: found, fresh } = await candidates(label);
    list.replaceChildren(...found.map(item));
    form.hidden = found.length === 0;
    if (!found.length) result.textContent = "没有待装车的交售。Nothing waits for a trip.";
    else if (!fresh) result.textContent = "离线：上次载入的清单。Offline: the list as last loaded.";
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = [...form.querySelectorAll("input[name=delivery]:checked")].map((box) => box.value);
    if (!chosen.length) return;
    const id = crypto.randomUUID();
    const body = {
      id,
      deliveries: chosen,
      departed_at: new Date().toISOString(),
      vehicle: form.vehicle.value.trim() || null,
    };
    await putTrip({ id, body, state: "waiting" });
    form.hidden = true;
    form.reset();
    list.replaceChildren();
    await showLatestTrip();
    await saved();
  });
}
