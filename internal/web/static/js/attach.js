// Attachments in the forum's composer: each file chosen is uploaded at
// once to POST /api/v1/uploads with a progress bar, then listed with a
// small preview, a Remove button and a hidden attachment_ids field that
// the form posts; a file the site refuses is listed with its reason.
// Without JavaScript the file input posts the files with the form.
(function () {
  "use strict";

  function item(list, name) {
    var li = document.createElement("li");
    li.className = "attach-item";
    var label = document.createElement("span");
    label.className = "attach-name";
    label.textContent = name;
    li.appendChild(label);
    list.appendChild(li);
    return li;
  }

  function removeButton(li, name) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-ghost btn-sm";
    b.setAttribute("data-attach-remove", "");
    b.setAttribute("aria-label", "Remove " + name);
    b.textContent = "Remove";
    li.appendChild(b);
  }

  function refused(li, msg) {
    li.setAttribute("data-attach-refused", "");
    var p = document.createElement("p");
    p.className = "field-error";
    p.setAttribute("role", "alert");
    p.textContent = msg;
    li.appendChild(p);
  }

  function send(list, file) {
    var li = item(list, file.name);
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", "Uploading " + file.name);
    li.insertBefore(bar, li.firstChild);
    var x = new XMLHttpRequest();
    x.open("POST", "/api/v1/uploads");
    x.setRequestHeader("Accept", "application/json");
    x.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total);
    });
    x.addEventListener("load", function () {
      bar.remove();
      var res = null;
      try { res = JSON.parse(x.responseText); } catch (_) { /* not JSON */ }
      if (x.status !== 201 || !res) {
        refused(li, (res && res.errors && res.errors.file) || (res && res.detail) || "The file could not be uploaded.");
        removeButton(li, file.name);
        return;
      }
      li.setAttribute("data-attachment", res.id);
      var id = document.createElement("input");
      id.type = "hidden";
      id.name = "attachment_ids";
      id.value = res.id;
      li.insertBefore(id, li.firstChild);
      if (res.thumb_url) {
        var img = document.createElement("img");
        img.src = res.thumb_url;
        img.alt = "";
        img.width = 48;
        img.height = 48;
        li.insertBefore(img, li.querySelector(".attach-name"));
      }
      removeButton(li, file.name);
    });
    x.addEventListener("error", function () {
      bar.remove();
      refused(li, "The file could not be uploaded; check your connection and try again.");
      removeButton(li, file.name);
    });
    var body = new FormData();
    body.append("file", file);
    x.send(body);
  }

  document.querySelectorAll("[data-attach]").forEach(function (box) {
    var input = box.querySelector("[data-attach-input]");
    var list = box.querySelector("[data-attach-list]");
    box.querySelectorAll("[data-attach-remove]").forEach(function (b) { b.hidden = false; });
    input.addEventListener("change", function () {
      Array.prototype.forEach.call(input.files, function (f) { send(list, f); });
      input.value = "";
    });
    list.addEventListener("click", function (e) {
      var b = e.target.closest("[data-attach-remove]");
      if (b) b.closest("li").remove();
    });
  });
})();
