document.getElementById("app").textContent = "Tern";
