// The admin page: polls the admin API every second and draws every room and instance. No build
// step, no library: plain DOM calls. The token, when the page was opened with ?token=…, is kept in
// this tab only (sessionStorage), taken out of the address bar, and sent as a header.
(function () {
  "use strict";

  const params = new URLSearchParams(location.search);
  if (params.has("token")) {
    sessionStorage.setItem("dormouse-admin-token", params.get("token"));
    params.delete("token");
    const rest = params.toString();
    history.replaceState(null, "", location.pathname + (rest ? "?" + rest : ""));
  }
  const token = sessionStorage.getItem("dormouse-admin-token");

  const roomsEl = document.getElementById("rooms");
  const statusEl = document.getElementById("status");

  function api(path, method) {
    const headers = {};
    if (token) headers["Authorization"] = "Bearer " + token;
    return fetch("/api/" + path, { method: method || "GET", headers: headers }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error(body.error || r.status + "");
        return body;
      });
    });
  }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(function ([k, v]) {
      if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    });
    (children || []).forEach(function (c) { node.appendChild(c); });
    return node;
  }

  function when(millis) {
    if (millis === null || millis === undefined) return "—";
    const seconds = Math.round((Date.now() - millis) / 1000);
    if (seconds < 0) return "in " + duration(-seconds);
    return duration(seconds) + " ago";
  }

  function duration(seconds) {
    if (seconds < 60) return seconds + " s";
    if (seconds < 3600) return Math.floor(seconds / 60) + " min";
    return Math.floor(seconds / 3600) + " h";
  }

  function segment(instance) {
    return instance === "" ? "_" : encodeURIComponent(instance);
  }

  function command(instance, action, button) {
    button.disabled = true;
    const path = ["rooms", instance.namespace, instance.room, segment(instance.instance), action]
      .map(function (p, i) { return i === 3 ? p : encodeURIComponent(p); }).join("/");
    api(path, "POST")
      .then(function () { statusEl.textContent = action + " sent to " + label(instance); })
      .catch(function (e) { showError(action + " " + label(instance) + ": " + e.message); })
      .finally(function () { button.disabled = false; refresh(); });
  }

  function label(instance) {
    return instance.namespace + "/" + instance.room + (instance.instance ? "/" + instance.instance : "");
  }

  function revival(millis) {
    if (millis === null || millis === undefined) return "—";
    return (millis < 10 ? millis.toFixed(2) : Math.round(millis)) + " ms";
  }

  // The sleeps and wakes of an instance, oldest first: one tick each, its details in the tooltip.
  // A listing leaves out the history of instances past its first hundred (timeline null).
  function timeline(instance) {
    const strip = el("div", { class: "timeline" });
    (instance.timeline || []).forEach(function (entry) {
      const at = new Date(entry.at);
      const details = [entry.kind + " " + at.toLocaleString() + " (" + when(at.getTime()) + ")",
        "reason: " + entry.reason, "owner: " + entry.owner];
      if (entry.revivalMillis !== null) details.push("revival: " + revival(entry.revivalMillis));
      strip.appendChild(el("span", {
        class: "tick " + (entry.kind === "woke" ? "woke" : "hibernated"),
        title: details.join("\n"),
      }));
    });
    return strip;
  }

  function instanceRow(instance) {
    const hibernate = el("button", { type: "button", "data-action": "hibernate", text: "Hibernate" });
    const wake = el("button", { type: "button", "data-action": "wake", text: "Wake" });
    hibernate.addEventListener("click", function () { command(instance, "hibernate", hibernate); });
    wake.addEventListener("click", function () { command(instance, "wake", wake); });
    const gateways = Object.entries(instance.connectionsByGateway)
      .map(function ([g, n]) { return g + ": " + n; }).join(", ");
    const state = instance.state;
    return el("tr", { "data-instance": label(instance), "data-state": state }, [
      el("td", { text: instance.instance === "" ? "(the room's one instance)" : instance.instance }),
      el("td", {}, [el("span", { class: "badge " + state.replace(" ", "-"), text: state })]),
      el("td", { class: "num" }, [
        document.createTextNode(instance.connections + " "),
        el("span", { class: "gateways", text: gateways ? "(" + gateways + ")" : "" }),
      ]),
      el("td", { text: when(instance.lastActivity) }),
      el("td", { class: "owner", text: instance.owner || "—" }),
      el("td", { text: instance.alarm === null ? "—" : new Date(instance.alarm).toLocaleTimeString() + " (" + when(instance.alarm) + ")" }),
      el("td", { class: "num", text: String(instance.waitingEvents) }),
      el("td", { class: "num wakes", text: instance.wakes === null ? "—" : String(instance.wakes) }),
      el("td", { class: "num revival", text: revival(instance.lastRevivalMillis) }),
      el("td", {}, [timeline(instance)]),
      el("td", { class: "actions" }, [hibernate, document.createTextNode(" "), wake]),
    ]);
  }

  function roomSection(room) {
    const head = el("div", { class: "room-head" }, [
      el("h2", { text: room.namespace + "/" + room.room }),
      el("span", { class: "meta", text: "handler " + room.handler }),
      // The rows' states are read now; room.activeInstances is the owners' last report, seconds old.
      el("span", { class: "meta", text: room.instances.filter((i) => i.state === "active").length + " in memory" }),
      el("span", { class: "meta", text: "last activity " + when(room.lastActivity) }),
      el("span", { class: "meta", text: room.hasOwner ? "owner reachable" : "no owner reachable" }),
    ]);
    const section = el("section", { class: "room", "data-room": room.namespace + "/" + room.room }, [head]);
    if (room.instances.length === 0) {
      section.appendChild(el("p", { class: "empty", text: "no instances yet" }));
      return section;
    }
    const header = el("tr", {}, ["instance", "state", "connections", "last activity", "owner",
      "alarm", "waiting", "wakes", "last revival", "timeline", ""].map(function (t) { return el("th", { text: t }); }));
    section.appendChild(el("table", {}, [el("thead", {}, [header]),
      el("tbody", {}, room.instances.map(instanceRow))]));
    return section;
  }

  function showError(message) {
    statusEl.textContent = message;
    statusEl.classList.add("error");
  }

  function refresh() {
    return api("rooms").then(function (body) {
      roomsEl.replaceChildren.apply(roomsEl, body.rooms.map(roomSection));
      statusEl.classList.remove("error");
      statusEl.textContent = "updated " + new Date().toLocaleTimeString();
    }).catch(function (e) { showError("cannot read the API: " + e.message); });
  }

  refresh();
  setInterval(refresh, 1000);
})();
