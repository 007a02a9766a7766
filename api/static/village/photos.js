// A photo shrunk on the phone before it is kept and sent: a certificate stays readable at
// 1280 px, and a few hundred kB cross a weak mountain link where 5 MB would not.
const LONGEST_SIDE_PX = 1280;
const JPEG_QUALITY = 0.8;

export async function shrinkPhoto(file) {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  const scale = Math.min(1, LONGEST_SIDE_PX / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return new Promise((resolve, reject) => {
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error("the photo could not be encoded"))),
      "image/jpeg",
      JPEG_QUALITY,
    );
  });
}
