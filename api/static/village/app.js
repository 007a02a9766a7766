// The village console: record deliveries with or without a network, show what still waits,
// hand out receipts. Every entry is kept in IndexedDB first and sent from there.
import { harvestLotCode } from "./codes.js";
import { allEntries, allTrips, putEntry, putTrip } from "./entries.js";
import { shrinkPhoto } from "./photos.js";
import { keepServerDay, sendWaiting } from "./sync.js";
import { setUpTrips, showLatestTrip, TRIP_WORDS, tripWords } from "./trips.js";

// Often enough that a returning signal is used within a quarter minute of the agent noticing.
const RETRY_INTERVAL_MS = 15000;

const choices = JSON.parse(document.getElementById("choices").textContent);
const form = document.getElementById("delivery-form");
const farmers = new Map(choices.farmers.map((farmer) => [farmer.code, farmer]));
const products = new Map(choices.products.map((product) => [product.code, product]));

const STATE_WORDS = {
  waiting: "待发送 waiting to send",
  photo: "照片待发送 photo waiting",
  sent: "已发送 sent",
  refused: "被拒绝 refused",
  discarded: "已放弃 discarded",
};
const BASIS_WORDS = {
  quality_control: "质量安全控制符合要求 quality control",
  self_tested: "自行检测合格 own test",
  commissioned_test: "委托检测合格 laboratory test",
};

function today() {
  const now = new Date();
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60000);
  return local.toISOString().slice(0, 10);
}

function element(tag, text, className) {
  const made = document.createElement(tag);
  if (text !== undefined) made.textContent = text;
  if (className) made.className = className;
  return made;
}

function describe(entry) {
  const farmer = farmers.get(entry.body.farmer);
  const product = products.get(entry.body.product);
  return `${farmer ? farmer.name : entry.body.farmer} · ${product ? product.name_zh : entry.body.product}`
    + ` · ${entry.body.quantity} ${entry.body.unit}`;
}

function showReceipt(entry) {
  const body = entry.body;
  const farmer = farmers.get(body.farmer);
  const product = products.get(body.product);
  const plot = farmer && farmer.plots.find((one) => one.code === body.plot);
  document.getElementById("receipt-code").textContent = entry.code;
  const lines = document.getElementById("receipt-lines");
  lines.replaceChildren();
  const rows = [
    ["采收批号 Harvest lot", entry.code],
    ["服务点 Village point", choices.point ? choices.point.name : ""],
    ["农户 Farmer", farmer ? farmer.name : body.farmer],
    ["产品 Product", product ? `${product.name_zh}（${product.name_en}）` : body.product],
    ["品种 Variety", body.variety || "—"],
    ["地块 Plot", plot ? plot.name : "—"],
    ["采收日期 Harvested", body.harvest_date],
    ["重量 Weight", `${body.quantity} ${body.unit}`],
    ["合格证 Certificate", body.certificate
      ? `${body.certificate.number}（${BASIS_WORDS[body.certificate.basis]}）`
      : "未提供 none given"],
    ["登记时间 Recorded", new Date(body.recorded_at).toLocaleString("zh-CN")],
  ];
  for (const [term, value] of rows) {
    lines.append(element("dt", term), element("dd", value));
  }
  document.getElementById("receipt-state").textContent = STATE_WORDS[entry.state];
  const receipt = document.getElementById("receipt");
  receipt.hidden = false;
  receipt.scrollIntoView();
}

function entryItem(entry) {
  const item = element("li");
  item.dataset.id = entry.id;
  item.append(element("span", `${entry.code} · ${describe(entry)} `, "lot"));
  item.append(element("span", STATE_WORDS[entry.state], `state-${entry.state}`));
  if (entry.problem) item.append(element("div", entry.problem, "alert"));
  const open = element("button", "收据 Receipt", "secondary");
  open.type = "button";
  open.addEventListener("click", () => showReceipt(entry));
  item.append(open);
  if (entry.state === "refused") {
    // The server said why; the agent records it again correctly and sets this one aside.
    const discard = element("button", "放弃此条 Discard", "secondary discard");
    discard.type = "button";
    discard.addEventListener("click", async () => {
      entry.state = "discarded";
      await putEntry(entry);
      await refresh();
    });
    item.append(" ", discard);
  }
  return item;
}

function tripItem(trip) {
  const item = element("li");
  item.dataset.trip = trip.id;
  item.append(element("span", tripWords(trip), "lot"));
  item.append(element("span", TRIP_WORDS[trip.state], `state-${trip.state}`));
  if (trip.problem) item.append(element("div", trip.problem, "alert"));
  if (trip.state === "refused") {
    const discard = element("button", "放弃此条 Discard", "secondary discard");
    discard.type = "button";
    discard.addEventListener("click", async () => {
      trip.state = "discarded";
      await putTrip(trip);
      await refresh();
    });
    item.append(" ", discard);
  }
  return item;
}

async function refresh() {
  const entries = await allEntries();
  const trips = await allTrips();
  const waiting = entries.filter((entry) => entry.state === "waiting" || entry.state === "photo");
  const tripsWaiting = trips.filter((trip) => trip.state === "waiting");
  document.getElementById("waiting-count").textContent =
    String(waiting.length + tripsWaiting.length);
  document.getElementById("queue").replaceChildren(
    ...entries.filter((entry) => !["sent", "discarded"].includes(entry.state)).map(entryItem),
    ...trips.filter((trip) => !["sent", "discarded"].includes(trip.state)).map(tripItem),
  );
  await showLatestTrip();
  const day = today();
  document.getElementById("today").replaceChildren(
    ...entries.filter((entry) => entry.day === day && entry.state !== "discarded").map(entryItem),
  );
  const network = document.getElementById("network");
  network.textContent = navigator.onLine ? "在线 Online" : "离线：记录保存在手机上 Offline: entries stay on this phone";
  network.className = navigator.onLine ? "notice" : "alert";
}

async function sync() {
  // An offline phone has nothing to try; the "online" event brings it back here.
  if (!navigator.onLine) return refresh();
  const outcome = await sendWaiting();
  if (outcome === "done") {
    try {
      await keepServerDay(today());
    } catch {
      // The network went away between the two: the list is refreshed on the next round.
    }
  }
  const problem = document.getElementById("sync-problem");
  problem.hidden = outcome !== "sign-in";
  problem.textContent = "登录已过期，请重新登录后发送。Signed out: sign in again to send.";
  await refresh();
}

function fillPlots() {
  const farmer = farmers.get(form.farmer.value);
  const options = [new Option("—", "")];
  for (const plot of farmer ? farmer.plots : []) options.push(new Option(plot.name, plot.code));
  form.plot.replaceChildren(...options);
}

function certificateChanged() {
  const given = form.has_certificate.value === "yes";
  document.getElementById("certificate-fields").hidden = !given;
  form.certificate_number.required = given;
  const product = products.get(form.product.value);
  document.getElementById("certificate-warning").hidden =
    given || !product || product.certificate_category === "none";
}

async function save(event) {
  event.preventDefault();
  const problem = document.getElementById("form-problem");
  problem.hidden = true;
  const given = form.has_certificate.value === "yes";
  const id = crypto.randomUUID();
  const body = {
    id,
    farmer: form.farmer.value,
    product: form.product.value,
    variety: form.variety.value.trim() || null,
    plot: form.plot.value || null,
    harvest_date: form.harvest_date.value,
    quantity: Number(form.quantity.value),
    unit: form.unit.value,
    certificate: given
      ? { number: form.certificate_number.value.trim(), basis: form.certificate_basis.value }
      : null,
    recorded_at: new Date().toISOString(),
  };
  let photo = null;
  try {
    if (given && form.photo.files.length) photo = await shrinkPhoto(form.photo.files[0]);
  } catch {
    problem.textContent = "照片无法读取，请重拍。The photo could not be read; take it again.";
    problem.hidden = false;
    return;
  }
  const entry = { id, body, photo, code: harvestLotCode(id), day: today(), state: "waiting" };
  await putEntry(entry);
  form.reset();
  form.harvest_date.value = today();
  fillPlots();
  certificateChanged();
  showReceipt(entry);
  await refresh();
  sync();
}

form.farmer.addEventListener("change", fillPlots);
form.product.addEventListener("change", certificateChanged);
for (const radio of form.has_certificate) radio.addEventListener("change", certificateChanged);
form.addEventListener("submit", save);
form.harvest_date.value = today();
document.getElementById("receipt-print").addEventListener("click", () => window.print());
document.getElementById("receipt-close").addEventListener("click", () => {
  document.getElementById("receipt").hidden = true;
});
window.addEventListener("online", sync);
window.addEventListener("offline", refresh);
setInterval(sync, RETRY_INTERVAL_MS);
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/village-sw.js", { scope: "/village" });
}
certificateChanged();
setUpTrips({
  label: (entry) => `${entry.code} · ${describe(entry)}`,
  saved: async () => {
    await refresh();
    sync();
  },
});
refresh().then(sync);
