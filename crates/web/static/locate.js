// "使用当前位置" on the public appeal form: the phone's location (WGS84) into the hidden lat/lon
// fields. Without JavaScript or permission the address field is enough.
(function () {
  const button = document.querySelector("[data-locate]");
  if (!button || !navigator.geolocation) {
    if (button) button.hidden = true;
    return;
  }
  const status = document.querySelector("[data-locate-status]");
  const form = button.closest("form");
  button.addEventListener("click", function () {
    status.textContent = "正在定位…";
    navigator.geolocation.getCurrentPosition(
      function (p) {
        form.elements.lat.value = p.coords.latitude.toFixed(6);
        form.elements.lon.value = p.coords.longitude.toFixed(6);
        status.textContent = "已定位（精度约 " + Math.round(p.coords.accuracy) + " 米）";
      },
      function () {
        status.textContent = "无法获取位置，请填写地址";
      },
      { enableHighAccuracy: true, timeout: 15000 }
    );
  });
})();
