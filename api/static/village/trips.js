// Sending gathered deliveries to the centre: a station's agent (or a point's, for its own)
// picks the deliveries the server holds that are on no trip yet and records the trip.
import { send, SignInNeeded } from "./sync.js";

function item(delivery) {
  const line = document.createElement("li");
  const label = document.createElement("label");
  label.className = "inline-choice";
  const box = document.createElement("input");
  box.type = "checkbox";
  box.name = "delivery";
  box.value = delivery.id;
  box.checked = true;
  const words = document.createElement("span");
  words.textContent = `${delivery.harvest_lot_code} · ${delivery.farmer_name} · `
    + `${delivery.village_point_name} · ${delivery.product_name_zh} · `
    + `${delivery.quantity} ${delivery.unit}`;
  label.append(box, words);
  line.append(label);
  return line;
}

export function setUpTrips() {
  const form = document.getElementById("trip-form");
  const result = document.getElementById("trip-result");
  const list = document.getElementById("trip-deliveries");

  document.getElementById("trip-load").addEventListener("click", async () => {
    result.textContent = "";
    try {
      const response = await fetch("/api/v1/deliveries?waiting=true&on_trip=false", {
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      const deliveries = await response.json();
      list.replaceChildren(...deliveries.map(item));
      form.hidden = deliveries.length === 0;
      if (!deliveries.length) result.textContent = "没有待装车的交售。Nothing waits for a trip.";
    } catch {
      result.textContent = "需要网络，请稍后再试。Needs the network; try again later.";
    }
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = [...form.querySelectorAll("input[name=delivery]:checked")].map((box) => box.value);
    if (!chosen.length) return;
    const body = {
      deliveries: chosen,
      departed_at: new Date().toISOString(),
      vehicle: form.vehicle.value.trim() || null,
    };
    try {
      const { status, answer } = await send(
        "POST", "/api/v1/trips", JSON.stringify(body), "application/json",
      );
      if (status === 201) {
        result.textContent = `已发车，运输单号 ${answer.code}（${answer.deliveries.length} 笔）`
          + ` Sent: trip ${answer.code}`;
        result.dataset.trip = answer.code;
        form.hidden = true;
        list.replaceChildren();
      } else {
        result.textContent = (answer && answer.error && answer.error.message) || String(status);
      }
    } catch (error) {
      result.textContent = error instanceof SignInNeeded
        ? "登录已过期，请重新登录。Signed out: sign in again."
        : "需要网络，请稍后再试。Needs the network; try again later.";
    }
  });
}
