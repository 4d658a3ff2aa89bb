// 离线发送箱 (the phone's outbox) for findings typed on site. A submitted finding is first kept on
// the phone (IndexedDB, photos included) under its own key, then sent; if the connection is gone it
// stays there and is sent when the connection comes back (or the page is opened again). The server
// stores each key once, so a finding sent twice — an answer lost on a weak connection — is kept once.
"use strict";
(function () {
  if (!window.indexedDB || !window.fetch || !window.FormData) {
    return; // the plain form still works, online
  }
  var DB = "bangdu-outbox";
  var STORE = "findings";

  function open() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () {
        req.result.createObjectStore(STORE, { keyPath: "key" });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function withStore(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(request ? request.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  function all() { return withStore("readonly", function (s) { return s.getAll(); }); }
  function put(record) { return withStore("readwrite", function (s) { return s.put(record); }); }
  function remove(key) { return withStore("readwrite", function (s) { return s.delete(key); }); }

  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function currentToken() {
    var field = document.querySelector('input[name="csrf_token"]');
    return field ? field.value : "";
  }

  var status = document.querySelector("[data-outbox-status]");
  function show(records, note) {
    if (!status) { return; }
    var waiting = records.filter(function (r) { return !r.error; }).length;
    var refused = records.filter(function (r) { return r.error; });
    var text = note || "";
    if (waiting > 0) { text += (text ? "；" : "") + "有 " + waiting + " 条问题保存在手机上，联网后自动发送"; }
    refused.forEach(function (r) { text += (text ? "；" : "") + "未被接受：" + r.error; });
    status.textContent = text;
    status.hidden = text === "";
  }

  // One record: "sent", "refused" (kept with the reason, not retried) or "later" (no connection).
  function send(record) {
    var body = new FormData();
    record.fields.forEach(function (pair) {
      body.append(pair[0], pair[0] === "csrf_token" ? currentToken() : pair[1]);
    });
    record.photos.forEach(function (photo) { body.append("photo", photo.blob, photo.name); });
    return fetch(record.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Bangdu-Outbox": "1" },
    }).then(function (response) {
      if (response.ok) {
        return remove(record.key).then(function () { return "sent"; });
      }
      if (response.status === 401 || response.status === 408 || response.status === 429 || response.status >= 500) {
        return "later";
      }
      return response.json().catch(function () { return { message: "HTTP " + response.status }; }).then(function (answer) {
        record.error = answer.message || "HTTP " + response.status;
        return put(record).then(function () { return "refused"; });
      });
    }, function () { return "later"; });
  }

  var flushing = false;
  function flush() {
    if (flushing) { return Promise.resolve(); }
    flushing = true;
    var sent = 0;
    return all().then(function (records) {
      return records.filter(function (r) { return !r.error; }).reduce(function (previous, record) {
        return previous.then(function () {
          return send(record).then(function (result) { if (result === "sent") { sent += 1; } });
        });
      }, Promise.resolve());
    }).then(all).then(function (left) {
      flushing = false;
      if (sent > 0 && left.length === 0) {
        window.location.assign("/visits?done=finding");
        return;
      }
      show(left, sent > 0 ? "已发送 " + sent + " 条" : "");
    }, function () { flushing = false; });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-outbox")) { return; }
    event.preventDefault();
    var keyField = form.querySelector('input[name="client_key"]');
    if (!keyField.value) { keyField.value = newKey(); }
    var fields = [];
    var photos = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "photo") {
        if (value && value.size > 0) { photos.push({ name: value.name || "photo.jpg", blob: value }); }
      } else {
        fields.push([name, String(value)]);
      }
    });
    var record = { key: keyField.value, url: form.getAttribute("action"), fields: fields, photos: photos, saved: Date.now() };
    put(record).then(function () {
      form.reset();
      keyField.value = "";
      return flush();
    }).catch(function () {
      form.submit(); // no storage on this phone: send it the plain way
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-locate]");
    if (!button || !navigator.geolocation) { return; }
    var form = button.closest("form");
    var label = form.querySelector("[data-located]");
    label.textContent = "定位中…";
    navigator.geolocation.getCurrentPosition(function (position) {
      form.querySelector('input[name="lat"]').value = position.coords.latitude.toFixed(6);
      form.querySelector('input[name="lon"]').value = position.coords.longitude.toFixed(6);
      label.textContent = "已定位（±" + Math.round(position.coords.accuracy) + " 米）";
    }, function () { label.textContent = "无法定位"; }, { enableHighAccuracy: true, timeout: 15000 });
  });

  window.addEventListener("online", flush);
  all().then(function (records) { show(records, ""); }).then(flush);
})();
