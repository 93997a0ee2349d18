//! One document from seed to files: identity, pages, the clean renders, the genuine photos and
//! the attack variants, each with its label.

use image::RgbImage;
use jiff::civil::Date;
use serde_json::{Value, json};

use crate::Result;
use crate::attacks::{self, Object};
use crate::data::{self, Identity, Kind};
use crate::labels::{Label, Placement, place, quad, rectf};
use crate::layout::{self, Page, Side};
use crate::portrait;
use crate::raster::{Pt, jpeg, png};
use crate::rng::{Purpose, Rng, document_seed};
use crate::scene::{self, BlurKind, Edge, Glare, Plan, Shot};
use crate::stamp;
use crate::text::Fonts;

/// Which documents to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KindChoice {
    Passport,
    IdCard,
    /// Passports at even indices, cards at odd ones.
    All,
}

/// Image format of the flat renders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CleanFormat {
    Png,
    Jpeg,
}

/// Everything the command line decides.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    pub(crate) seed: u64,
    pub(crate) count: u64,
    pub(crate) kind: KindChoice,
    /// Attack names from [`attacks::ALL`], in that order.
    pub(crate) attacks: Vec<&'static str>,
    /// Deal the attacks out over the documents instead of giving every document each of them.
    pub(crate) spread: bool,
    pub(crate) clean_format: CleanFormat,
    pub(crate) quality: u8,
    pub(crate) today: Date,
    /// Holders whose sex and age fit the one portrait (see [`data::Holder`]).
    pub(crate) fit_portrait: bool,
}

/// Read-only inputs shared by every document.
pub(crate) struct Assets {
    pub(crate) fonts: Fonts,
    pub(crate) face: RgbImage,
}

/// One output file.
pub(crate) struct Output {
    pub(crate) file: String,
    pub(crate) bytes: Vec<u8>,
    pub(crate) label: Label,
}

/// The attacks document `index` gets.
pub(crate) fn attacks_for(opts: &Options, index: u64) -> Vec<&'static str> {
    if !opts.spread {
        return opts.attacks.clone();
    }
    opts.attacks
        .iter()
        .enumerate()
        .filter(|(j, _)| *j as u64 % opts.count.max(1) == index)
        .map(|(_, a)| *a)
        .collect()
}

/// Genuine photos turn through the quarter turns on a fixed cycle, so that even a handful of
/// documents includes rotated ones.
fn rotation_for(index: u64) -> u16 {
    [0, 90, 0, 180, 0, 270]
        .get((index % 6) as usize)
        .copied()
        .unwrap_or(0)
}

struct Doc<'a> {
    opts: &'a Options,
    assets: &'a Assets,
    index: u64,
    seed: u64,
    id: Identity,
    pages: Vec<Page>,
    /// The first page without the holder's signature (the `unsigned` attack), when asked for.
    unsigned: Option<Page>,
    /// The first page with an office stamp over the portrait's corner (`stamped`), when asked for.
    stamped: Option<Page>,
}

impl Doc<'_> {
    fn name(&self, page: &Page, what: &str, ext: &str) -> String {
        let side = match page.side {
            Side::DataPage => String::new(),
            s => format!("_{}", s.as_str()),
        };
        format!(
            "{:04}_{}{side}_{what}.{ext}",
            self.index,
            self.id.kind.as_str()
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn label(
        &self,
        file: &str,
        page: &Page,
        attack: &str,
        variant: &'static str,
        rotation: u16,
        img: &RgbImage,
        at: Placement,
        background: Option<&'static str>,
        params: Value,
    ) -> Label {
        Label {
            file: file.to_string(),
            document: format!("{:04}", self.index),
            kind: self.id.kind,
            side: page.side,
            attack: attack.to_string(),
            variant,
            rotation,
            width: img.width(),
            height: img.height(),
            mrz: self.id.mrz.clone(),
            mrz_visible: page.mrz.is_some(),
            fields: self.id.clone(),
            quad: at.quad,
            portrait_quad: at.portrait,
            mrz_quad: at.mrz,
            visual_fields: at.fields,
            background,
            attack_params: params,
            seed: self.opts.seed,
            document_seed: self.seed,
            today: self.opts.today,
        }
    }

    fn clean(&self, page: &Page) -> Result<Output> {
        let (ext, bytes) = match self.opts.clean_format {
            CleanFormat::Png => ("png", png(&page.image)?),
            CleanFormat::Jpeg => ("jpg", jpeg(&page.image, self.opts.quality)?),
        };
        Ok(self.flat(page, "genuine", "genuine_clean", ext, bytes))
    }

    /// `page`'s render as encoded in `bytes`, labelled `attack`, file named `what`.
    fn flat(&self, page: &Page, attack: &str, what: &str, ext: &str, bytes: Vec<u8>) -> Output {
        let file = self.name(page, what, ext);
        let at = place(page, &|p: Pt| p);
        let label = self.label(
            &file,
            page,
            attack,
            "clean",
            0,
            &page.image,
            at,
            None,
            Value::Null,
        );
        Output { file, bytes, label }
    }

    /// Encodes a photo, turned by `rotation`, with the page mapped through `map`.
    #[allow(clippy::too_many_arguments)]
    fn photo(
        &self,
        page: &Page,
        what: &str,
        attack: &str,
        shot: Shot,
        map: &dyn Fn(Pt) -> Pt,
        rotation: u16,
        params: Value,
    ) -> Result<Output> {
        let (img, turn) = scene::rotate(&shot.image, rotation);
        let full = |p: Pt| turn(map(p));
        let at = place(page, &full);
        let suffix = if rotation == 0 {
            String::new()
        } else {
            format!("_r{rotation}")
        };
        let file = self.name(page, &format!("{what}{suffix}"), "jpg");
        let bytes = jpeg(&img, self.opts.quality)?;
        let label = self.label(
            &file,
            page,
            attack,
            "photo",
            rotation,
            &img,
            at,
            Some(shot.background),
            params,
        );
        Ok(Output { file, bytes, label })
    }

    /// `page` as scanned: its render saved as a JPEG, labelled `attack`, file named `what`.
    fn scanned(&self, page: &Page, attack: &str, what: &str) -> Result<Output> {
        let bytes = jpeg(&page.image, self.opts.quality)?;
        Ok(self.flat(page, attack, what, "jpg", bytes))
    }

    fn page_for(&self, attack: &str, rng: &mut Rng) -> Option<&Page> {
        if attack == "unsigned" {
            return self.unsigned.as_ref();
        }
        if attack == "stamped" {
            return self.stamped.as_ref();
        }
        if attack == "edit" {
            // Visual fields to tamper with live on the data page or the card's front.
            return self.pages.first();
        }
        self.pages.get(rng.index(self.pages.len()))
    }

    fn attack(&self, attack: &'static str) -> Result<Option<Output>> {
        let purpose = match attack {
            "screen" => Purpose::Screen,
            "print" => Purpose::Print,
            "edit" => Purpose::Edit,
            "blur" => Purpose::Blur,
            "glare" => Purpose::Glare,
            "unsigned" => Purpose::Unsigned,
            "stamped" => Purpose::Stamped,
            _ => Purpose::Crop,
        };
        let mut rng = Rng::new(self.seed, purpose);
        let Some(page) = self.page_for(attack, &mut rng) else {
            return Ok(None);
        };
        let recapture = |obj: Object, rng: &mut Rng| -> Result<Output> {
            let plan = Plan {
                roi: Some(obj.page_rect),
                fill: Some((0.55, 0.8)),
                tilt: 0.03,
                samples: 2,
                ..Plan::default()
            };
            let shot = scene::photograph(&obj.image, &plan, rng)?;
            let (h_obj, h_shot) = (obj.h, shot.h);
            let map = move |p: Pt| h_shot.apply(h_obj.apply(p));
            self.photo(page, attack, attack, shot, &map, 0, obj.params)
        };
        let out = match attack {
            // A genuine page whose signature field was left empty, as scanned.
            "unsigned" => self.scanned(page, attack, "unsigned")?,
            // Half of each kind as scanned, the other half photographed.
            "stamped" if (self.index / 2).is_multiple_of(2) => {
                self.scanned(page, attack, "stamped_clean")?
            }
            "stamped" => {
                let shot = scene::photograph(&page.image, &Plan::default(), &mut rng)?;
                let h = shot.h;
                self.photo(
                    page,
                    "stamped_photo",
                    attack,
                    shot,
                    &move |p| h.apply(p),
                    0,
                    Value::Null,
                )?
            }
            "screen" => recapture(attacks::screen(page, &mut rng)?, &mut rng)?,
            "print" => recapture(attacks::print(page, &mut rng)?, &mut rng)?,
            "edit" => {
                let e = attacks::edit(page, &self.assets.fonts, &mut rng)?;
                let file = self.name(page, "edit_digital", "jpg");
                let bytes = jpeg(&e.image, self.opts.quality)?;
                let mut params = e.params;
                if let Some(o) = params.as_object_mut() {
                    o.insert("edit_quad".into(), json!(quad(&|p| p, rectf(e.box_))));
                    o.insert("final_quality".into(), json!(self.opts.quality));
                }
                let at = place(page, &|p: Pt| p);
                let label = self.label(
                    &file, page, attack, "digital", 0, &e.image, at, None, params,
                );
                Output { file, bytes, label }
            }
            "blur" => {
                let kind = if rng.chance(0.5) {
                    BlurKind::Gaussian {
                        sigma: rng.range(2.5, 5.0) as f32,
                    }
                } else {
                    BlurKind::Motion {
                        length: rng.range(14.0, 32.0).round(),
                        angle_deg: rng.range(0.0, 180.0).round(),
                    }
                };
                let shot = scene::photograph(
                    &page.image,
                    &Plan {
                        blur: Some(kind),
                        ..Plan::default()
                    },
                    &mut rng,
                )?;
                let h = shot.h;
                self.photo(
                    page,
                    attack,
                    attack,
                    shot,
                    &move |p| h.apply(p),
                    0,
                    json!(kind),
                )?
            }
            "glare" => {
                let targets: Vec<(&str, [i64; 4])> =
                    [("mrz", page.mrz), ("portrait", page.portrait)]
                        .into_iter()
                        .filter_map(|(n, r)| r.map(|r| (n, r)))
                        .collect();
                let (target, r) = rng.pick(&targets).copied().ok_or("nothing to glare over")?;
                let at = (
                    rng.range(r[0] as f64, r[2] as f64),
                    rng.range(r[1] as f64, r[3] as f64),
                );
                let radius = f64::from(page.image.width()) * rng.range(0.09, 0.16);
                let plan = Plan {
                    glare: Some(Glare { at, radius }),
                    ..Plan::default()
                };
                let shot = scene::photograph(&page.image, &plan, &mut rng)?;
                let g = shot.glare.map(
                    |(c, r)| json!({"center": [c.0.round(), c.1.round()], "radius": r.round()}),
                );
                let h = shot.h;
                let params = json!({"over": target, "glare": g});
                self.photo(page, attack, attack, shot, &move |p| h.apply(p), 0, params)?
            }
            _ => {
                let edge = *rng
                    .pick(&[Edge::Left, Edge::Right, Edge::Top, Edge::Bottom])
                    .ok_or("no edge")?;
                let share = (rng.range(0.15, 0.4) * 100.0).round() / 100.0;
                let plan = Plan {
                    outside: Some((edge, share)),
                    fill: Some((0.7, 0.9)),
                    ..Plan::default()
                };
                let shot = scene::photograph(&page.image, &plan, &mut rng)?;
                let h = shot.h;
                let params = json!({"edge": edge, "outside_share": share});
                self.photo(page, attack, attack, shot, &move |p| h.apply(p), 0, params)?
            }
        };
        Ok(Some(out))
    }
}

/// Renders document `index` and all its variants.
pub(crate) fn document(opts: &Options, assets: &Assets, index: u64) -> Result<Vec<Output>> {
    let seed = document_seed(opts.seed, index);
    let kind = match opts.kind {
        KindChoice::Passport => Kind::Passport,
        KindChoice::IdCard => Kind::IdCard,
        KindChoice::All if index.is_multiple_of(2) => Kind::Passport,
        KindChoice::All => Kind::IdCard,
    };
    let id = data::identity(
        &mut Rng::new(seed, Purpose::Identity),
        kind,
        opts.today,
        if opts.fit_portrait {
            data::Holder::Portrait
        } else {
            data::Holder::Anyone
        },
    )?;
    let aspect = 350.0 / 450.0;
    let variation = portrait::vary(&assets.face, aspect, &mut Rng::new(seed, Purpose::Portrait));
    // The first page (data page or card front), signed or not, drawn with `rng` as it starts.
    let first = |rng: &mut Rng, signed: bool| -> Result<Page> {
        let draw = match kind {
            Kind::Passport => layout::passport,
            Kind::IdCard => layout::card_front,
        };
        draw(&id, &assets.face, &variation, &assets.fonts, rng, signed)
    };
    let mut rng = Rng::new(seed, Purpose::Render);
    let mut pages = vec![first(&mut rng, true)?];
    if kind == Kind::IdCard {
        // The back takes the random numbers after the front's.
        pages.push(layout::card_back(&id, &assets.fonts, &mut rng)?);
    }
    let unsigned = if opts.attacks.contains(&"unsigned") {
        Some(first(&mut Rng::new(seed, Purpose::Render), false)?)
    } else {
        None
    };
    let stamped = if opts.attacks.contains(&"stamped") {
        // A copy of the first page with its own random numbers, so every other output stays
        // the same with or without it.
        let mut page = first(&mut Rng::new(seed, Purpose::Render), true)?;
        let mut rng = Rng::new(seed, Purpose::Stamped);
        let [_, _, x1, y1] = page.portrait.ok_or("a first page without a portrait")?;
        let side = f64::from(page.image.height());
        let r = side * rng.range(0.1, 0.14);
        let (cx, cy) = (
            x1 as f64 - r * rng.range(0.0, 0.5),
            y1 as f64 - r * rng.range(0.1, 0.6),
        );
        stamp::press(&mut page.image, cx, cy, r, &mut rng);
        Some(page)
    } else {
        None
    };
    let doc = Doc {
        opts,
        assets,
        index,
        seed,
        id,
        pages,
        unsigned,
        stamped,
    };
    let mut out = Vec::new();
    for page in &doc.pages {
        out.push(doc.clean(page)?);
    }
    let rotation = rotation_for(index);
    let mut rng = Rng::new(seed, Purpose::Photo);
    for page in &doc.pages {
        let shot = scene::photograph(&page.image, &Plan::default(), &mut rng)?;
        let h = shot.h;
        out.push(doc.photo(
            page,
            "genuine_photo",
            "genuine",
            shot,
            &move |p| h.apply(p),
            rotation,
            Value::Null,
        )?);
    }
    for attack in attacks_for(opts, index) {
        if let Some(o) = doc.attack(attack)? {
            out.push(o);
        }
    }
    Ok(out)
}
