// Shows an upload's progress on forms marked data-upload-progress: the file is sent with
// XMLHttpRequest (whose upload reports progress) and the server's answer replaces the page, as a
// plain form post would. Without JavaScript the form posts as usual.
(function () {
  for (const form of document.querySelectorAll("form[data-upload-progress]")) {
    form.addEventListener("submit", function (event) {
      const bar = form.querySelector(".upload-progress");
      const status = form.querySelector(".upload-status");
      if (!bar || !window.FormData) return;
      event.preventDefault();
      const data = new FormData(form);
      if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      bar.hidden = false;
      status.hidden = false;
      status.textContent = "正在上传…";
      xhr.upload.onprogress = function (e) {
        if (!e.lengthComputable) return;
        bar.value = Math.round((e.loaded / e.total) * 100);
        status.textContent = "已上传 " + bar.value + "%";
        if (e.loaded === e.total) status.textContent = "上传完成，正在逐行检查并写入，请稍候…";
      };
      xhr.onload = function () {
        document.open();
        document.write(xhr.responseText);
        document.close();
      };
      xhr.onerror = function () {
        status.textContent = "上传失败，请检查网络后重试";
      };
      for (const button of form.querySelectorAll("button")) button.disabled = true;
      xhr.send(data);
    });
  }
})();
